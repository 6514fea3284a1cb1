using Crm.SharedKernel.Localization;

namespace Crm.Deals.Domain;

/// <summary>The English text keys of the deal's choice values; pages translate them with the module's localizer.</summary>
internal static class DealTexts
{
    public static string Source(DealSource source) => source switch
    {
        DealSource.Website => TextKey.Of("Website"),
        DealSource.Call => TextKey.Of("Phone call"),
        DealSource.Email => TextKey.Of("E-mail"),
        DealSource.Referral => TextKey.Of("Referral"),
        DealSource.Exhibition => TextKey.Of("Exhibition"),
        DealSource.Advertising => TextKey.Of("Advertising"),
        DealSource.Repeat => TextKey.Of("Repeat sale"),
        _ => TextKey.Of("Other"),
    };

    public static string Payment(PaymentForm form) => form switch
    {
        PaymentForm.BankTransfer => TextKey.Of("Bank transfer"),
        PaymentForm.Card => TextKey.Of("Card"),
        PaymentForm.Cash => TextKey.Of("Cash"),
        _ => TextKey.Of("Installments"),
    };

    public static string Delivery(DeliveryKind delivery) => delivery switch
    {
        DeliveryKind.None => TextKey.Of("No delivery"),
        DeliveryKind.Pickup => TextKey.Of("Pickup"),
        DeliveryKind.Courier => TextKey.Of("Courier"),
        _ => TextKey.Of("Transport company"),
    };

    public static string Kind(StageKind kind) => kind switch
    {
        StageKind.Open => TextKey.Of("Open"),
        StageKind.Won => TextKey.Of("Won"),
        _ => TextKey.Of("Lost"),
    };
}
