using Crm.Identity.Contracts;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Domain;

namespace Crm.Tasks.Areas.Tasks.Features.MyDay;

/// <summary>The sections of a day, in the order the page shows them.</summary>
internal enum DaySectionKind
{
    Overdue,
    Today,
    Tomorrow,
    Later,
    DoneToday,
}

/// <summary>A section: how many tasks it holds (for the shown assignee), the first of them, and the list filtered to all of them.</summary>
internal sealed record DaySection(DaySectionKind Kind, int Count, IReadOnlyList<TaskItem> Tasks, string AllUrl)
{
    public bool Truncated => Count > Tasks.Count;
}

internal sealed record DaySections(DayOwner Owner, IReadOnlyList<DaySection> Sections);

internal sealed record MyDayPage(DaySections Day, QuickAddPage QuickAdd);

/// <summary>The one-line quick add: what was typed, and what was wrong with it or what was added.</summary>
internal sealed record QuickAddPage(QuickAddForm Form, IReadOnlyDictionary<string, string> Errors, string? Added)
{
    public string? Error(string field) => Errors.GetValueOrDefault(field);
}

internal sealed class QuickAddForm
{
    public string? Title { get; set; }

    public string? Kind { get; set; }

    /// <summary>yyyy-MM-dd, as a date input sends it.</summary>
    public string? Date { get; set; }

    /// <summary>HH:mm, or empty for an all-day task.</summary>
    public string? Time { get; set; }

    /// <summary>Whose day the form was on: a head adds tasks to the manager's day they look at.</summary>
    public Guid? User { get; set; }
}

/// <summary>One manager's row of the department overview.</summary>
internal sealed record OverviewRow(UserSummary User, string Department, int Overdue, int Today);

internal sealed record OverviewPage(IReadOnlyList<OverviewRow> Rows, DateOnly Today)
{
    public int Overdue => Rows.Sum(r => r.Overdue);

    public int TodayCount => Rows.Sum(r => r.Today);
}
