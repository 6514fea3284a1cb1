using Crm.Clients.Contracts;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Import;

/// <summary>The user-facing names of an import's kind, status and key.</summary>
internal static class ImportTexts
{
    public static string Kind(ClientKind kind, IStringLocalizer L) => kind switch
    {
        ClientKind.Company => L["Companies"],
        ClientKind.Contact => L["Contacts"],
        _ => L["Leads"],
    };

    public static string Status(ImportStatus status, IStringLocalizer L) => status switch
    {
        ImportStatus.Mapping => L["Waiting for the mapping"],
        ImportStatus.Queued => L["Queued"],
        ImportStatus.Running => L["Running"],
        ImportStatus.Done => L["Done"],
        _ => L["Failed"],
    };

    public static string Key(ImportKey key, IStringLocalizer L) => key switch
    {
        ImportKey.Inn => L["INN"],
        ImportKey.Phone => L["Phone"],
        _ => L["E-mail"],
    };
}
