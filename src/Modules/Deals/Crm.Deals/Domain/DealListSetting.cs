namespace Crm.Deals.Domain;

/// <summary>
/// A user's choice for the deals list: the columns shown, in order (keys of the list's column registry;
/// unknown keys are skipped, so a removed custom field never breaks the list), and the last sort picked.
/// </summary>
internal sealed class DealListSetting
{
    public Guid UserId { get; set; }

    /// <summary>Null until the user chooses: then the defaults.</summary>
    public List<string>? Columns { get; set; }

    public string? Sort { get; set; }
}
