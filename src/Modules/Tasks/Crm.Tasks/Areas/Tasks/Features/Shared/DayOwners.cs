using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Contracts;
using Crm.Tasks.Domain;

namespace Crm.Tasks.Areas.Tasks.Features.Shared;

/// <summary>
/// Whose day (my day, the calendar) a page shows: the current user's, or with <c>?user=</c> the day of
/// someone whose tasks the user's view scope reaches (a head: the department's managers). Anyone else is
/// not found, so a manager learns nothing about a colleague's id.
/// </summary>
internal sealed record DayOwner(UserSummary Shown, IReadOnlyList<UserSummary> Viewable, bool IsSelf)
{
    /// <summary>Whether the user may look at other people's days (a select of them, the overview).</summary>
    public bool CanSwitch => Viewable.Count > 1;

    /// <summary>"?user=…" for links that keep the shown user; empty for one's own day.</summary>
    public string Query(string separator = "?") => IsSelf ? "" : separator + "user=" + Shown.Id;

    public static async Task<DayOwner?> ResolveAsync(TaskAccess access, ICurrentUser currentUser, Guid? user, CancellationToken cancellationToken)
    {
        var viewable = await access.ViewableAssigneesAsync(cancellationToken);
        var id = user ?? currentUser.Id;
        var shown = viewable.FirstOrDefault(u => u.Id == id);
        return shown is null ? null : new DayOwner(shown, viewable, shown.Id == currentUser.Id);
    }

    /// <summary>The page of a linked record, by the path convention of the modules that own the kinds.</summary>
    public static string? LinkUrl(string? kind, Guid? id) => (kind, id) switch
    {
        (TaskLinkKinds.Lead, { } recordId) => "/leads/" + recordId,
        (TaskLinkKinds.Company, { } recordId) => "/companies/" + recordId,
        (TaskLinkKinds.Contact, { } recordId) => "/contacts/" + recordId,
        (TaskLinkKinds.Deal, { } recordId) => "/deals/" + recordId,
        _ => null,
    };
}

/// <summary>Dates and times as the browser's date and time inputs send them (yyyy-MM-dd, HH:mm), whatever the culture.</summary>
internal static class LocalInput
{
    /// <summary>Years far off are typing slips, refused here: near DateOnly's ends, time zone arithmetic would overflow.</summary>
    public static bool TryDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out date)
        && date.Year is >= 1900 and <= 2200;

    /// <summary>Empty is no time (all day); anything else must be a time of day.</summary>
    public static bool TryTime(string? text, out TimeOnly? time)
    {
        time = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var formats = new[] { "HH:mm", "H:mm", "HH:mm:ss" };
        if (TimeOnly.TryParseExact(text.Trim(), formats, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed))
        {
            time = parsed;
            return true;
        }

        return false;
    }

    public static string Date(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static string Time(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryKind(string? text, out TaskKind kind) =>
        Enum.TryParse(text, ignoreCase: true, out kind) && Enum.IsDefined(kind) && !int.TryParse(text, out _);
}
