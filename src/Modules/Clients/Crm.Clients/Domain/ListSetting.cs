using Crm.Clients.Contracts;

namespace Crm.Clients.Domain;

/// <summary>
/// A user's choice for one kind's list: the columns shown, in order (keys of the kind's column
/// registry; unknown keys are skipped, so a removed column or custom field never breaks a list), and
/// the last sort picked ("name", "-created"...).
/// </summary>
internal sealed class ListSetting
{
    public Guid UserId { get; set; }

    public ClientKind Kind { get; set; }

    /// <summary>Null until the user chooses: then the kind's defaults.</summary>
    public List<string>? Columns { get; set; }

    public string? Sort { get; set; }
}
