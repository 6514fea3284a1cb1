namespace Crm.SharedKernel.Localization;

/// <summary>
/// Marks an English text key that is translated later, where it is shown (a rule's refusal reason kept
/// in a domain class that has no localizer). The translation test finds <c>TextKey.Of("…")</c> as it
/// finds <c>L["…"]</c>, so the key must have its Russian entry in the module's resources.
/// </summary>
public static class TextKey
{
    public static string Of(string key) => key;
}
