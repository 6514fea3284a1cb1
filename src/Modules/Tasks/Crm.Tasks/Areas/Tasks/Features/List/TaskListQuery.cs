using Crm.SharedKernel.Web;
using System.Globalization;
using System.Text;
using Crm.SharedKernel.Access;
using Crm.Tasks.Access;
using Crm.Tasks.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;

namespace Crm.Tasks.Areas.Tasks.Features.List;

/// <summary>
/// The tasks list's filter as the page, its export and the API read it from the querystring: assignee,
/// kind, status (open by default, done, cancelled, all), dueFrom/dueTo, linkKind (any, "none" or a record
/// kind) and linkId, overdue, q (text in the title) and the keyset cursor. One reader and one
/// <see cref="Apply"/>, so the three cannot understand a filter differently.
/// Dates: "2026-03-31" is a day in the user's time zone (dueTo inclusive); an ISO 8601 instant with an
/// offset ("2026-03-31T07:00:00Z", what the API documents) is that moment (dueTo exclusive).
/// </summary>
internal sealed class TaskListQuery
{
    public const string AnyStatus = "all";
    public const string NoLink = "none";
    public const int TextLength = 200;

    private static readonly string[] Statuses = ["open", "done", "cancelled", AnyStatus];

    public Guid? Assignee { get; init; }

    public TaskKind? Kind { get; init; }

    /// <summary>"open" (the default), "done", "cancelled" or "all".</summary>
    public string Status { get; init; } = "open";

    public string? DueFrom { get; init; }

    public string? DueTo { get; init; }

    /// <summary>Null: any; "none": tasks linked to nothing; else a record kind ("deal").</summary>
    public string? LinkKind { get; init; }

    public Guid? LinkId { get; init; }

    public bool Overdue { get; init; }

    public string? Q { get; init; }

    public string? Cursor { get; init; }

    /// <summary>The period as UTC instants, start inclusive and end exclusive (set by <see cref="Read"/>).</summary>
    public DateTimeOffset? From { get; private set; }

    public DateTimeOffset? To { get; private set; }

    /// <summary>The last row of the previous page, from the cursor.</summary>
    public (DateTimeOffset DueAt, Guid Id)? After { get; private set; }

    public bool IsFiltered => Assignee is not null || Kind is not null || Status != "open" || DueFrom is not null || DueTo is not null
        || LinkKind is not null || LinkId is not null || Overdue || Q is not null;

    /// <summary>
    /// Reads the querystring; a value that does not read is named in <paramref name="errors"/> (by its
    /// parameter's name) and left out. <paramref name="linkKinds"/> are the kinds that can be linked.
    /// </summary>
    public static TaskListQuery Read(IQueryCollection query, IEnumerable<string> linkKinds, TimeZoneInfo timeZone, IStringLocalizer L, IDictionary<string, string> errors)
    {
        Guid? Id(string name)
        {
            var text = Clean(query[name]);
            if (text is null)
            {
                return null;
            }

            if (Guid.TryParse(text, out var id))
            {
                return id;
            }

            errors[name] = L["Not a valid id."];
            return null;
        }

        TaskKind? kind = null;
        if (Clean(query["kind"]) is { } kindText)
        {
            kind = TaskEnums.ParseKind(kindText);
            if (kind is null)
            {
                errors["kind"] = L["Known values: {0}.", string.Join(", ", TaskEnums.KindNames)];
            }
        }

        var status = Clean(query["status"])?.ToLowerInvariant() ?? "open";
        if (!Statuses.Contains(status, StringComparer.Ordinal))
        {
            errors["status"] = L["Known values: {0}.", string.Join(", ", Statuses)];
            status = "open";
        }

        var linkKind = Clean(query["linkKind"])?.ToLowerInvariant();
        if (linkKind is "any")
        {
            linkKind = null;
        }
        else if (linkKind is not null && linkKind != NoLink && !linkKinds.Contains(linkKind, StringComparer.OrdinalIgnoreCase))
        {
            errors["linkKind"] = L["Known values: {0}.", string.Join(", ", new[] { "any", NoLink }.Concat(linkKinds))];
            linkKind = null;
        }

        var overdue = false;
        if (query["overdue"].Count > 0 && query["overdue"][0] is { Length: > 0 } overdueText)
        {
            // A checkbox sends "true" (and MVC's hidden "false" after it): the first value decides.
            if (bool.TryParse(overdueText.Trim(), out var value))
            {
                overdue = value;
            }
            else if (overdueText.Trim() is "1" or "on")
            {
                overdue = true;
            }
            else
            {
                errors["overdue"] = L["Expected true or false."];
            }
        }

        var result = new TaskListQuery
        {
            Assignee = Id("assignee"),
            Kind = kind,
            Status = status,
            DueFrom = Clean(query["dueFrom"]),
            DueTo = Clean(query["dueTo"]),
            LinkKind = linkKind,
            LinkId = Id("linkId"),
            Overdue = overdue,
            Q = Clean(query["q"]) is { } q ? q[..Math.Min(q.Length, TextLength)] : null,
            Cursor = Clean(query["cursor"]),
        };
        result.From = Moment("dueFrom", result.DueFrom, timeZone, endOfDay: false, L, errors);
        result.To = Moment("dueTo", result.DueTo, timeZone, endOfDay: true, L, errors);
        if (result.Cursor is { } cursor)
        {
            result.After = KeysetCursor.Decode(cursor);
            if (result.After is null)
            {
                errors["cursor"] = L["Not a cursor of this list: pass nextCursor as it came."];
            }
        }

        return result;
    }

    /// <summary>
    /// The tasks (already within the access scope) that this filter keeps, in the list's order: after the
    /// cursor when <paramref name="paged"/>, else all of them (the export).
    /// </summary>
    public IQueryable<TaskItem> Apply(IQueryable<TaskItem> tasks, DateTimeOffset now, bool paged = true)
    {
        if (Assignee is { } assignee)
        {
            tasks = tasks.Where(t => t.AssigneeId == assignee);
        }

        if (Kind is { } kind)
        {
            tasks = tasks.Where(t => t.Kind == kind);
        }

        tasks = Status switch
        {
            "done" => tasks.Where(t => t.Status == TaskState.Done),
            "cancelled" => tasks.Where(t => t.Status == TaskState.Cancelled),
            AnyStatus => tasks,
            _ => tasks.Where(t => t.Status == TaskState.Open),
        };

        if (From is { } from)
        {
            tasks = tasks.Where(t => t.DueAt >= from);
        }

        if (To is { } to)
        {
            tasks = tasks.Where(t => t.DueAt < to);
        }

        if (LinkKind == NoLink)
        {
            tasks = tasks.Where(t => t.LinkId == null);
        }
        else if (LinkKind is { } linkKind)
        {
            tasks = tasks.Where(t => t.LinkKind == linkKind);
        }

        if (LinkId is { } linkId)
        {
            tasks = tasks.Where(t => t.LinkId == linkId);
        }

        if (Overdue)
        {
            tasks = tasks.Where(t => t.Status == TaskState.Open && t.OverdueAt <= now);
        }

        if (Q is { } q)
        {
            var pattern = "%" + q.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            tasks = tasks.Where(t => EF.Functions.ILike(t.Title, pattern, "\\"));
        }

        if (paged && After is var (dueAt, id))
        {
            // A row-value comparison: the (due_at, id) indexes seek straight to the next page, however deep.
            tasks = tasks.Where(t => EF.Functions.GreaterThan(ValueTuple.Create(t.DueAt, t.Id), ValueTuple.Create(dueAt, id)));
        }

        return tasks.OrderBy(t => t.DueAt).ThenBy(t => t.Id);
    }

    /// <summary>
    /// A page of at most <paramref name="take"/> tasks within the access filter, after the cursor: each part of
    /// the scope (<see cref="TaskAccess.Parts"/>) is filtered and read in (due, id) order from its own index up to
    /// <paramref name="take"/> rows, and the union of those, ordered again, is the page.
    /// </summary>
    public IQueryable<TaskItem> Page(IQueryable<TaskItem> tasks, AccessFilter filter, DateTimeOffset now, int take)
    {
        var parts = TaskAccess.Parts(tasks, filter).Select(part => Apply(part, now).Take(take)).ToList();
        var union = parts.Skip(1).Aggregate(parts[0], (all, part) => all.Union(part));
        return union.OrderBy(t => t.DueAt).ThenBy(t => t.Id).Take(take);
    }

    /// <summary>The opaque cursor of the page after <paramref name="last"/>.</summary>
    public static string CursorAfter(TaskItem last) =>
        KeysetCursor.Encode(last.DueAt, last.Id);

    /// <summary>The same list with another cursor, as a querystring starting with "?".</summary>
    public string QueryString(string? cursor = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("assignee", Assignee?.ToString());
        Add("kind", Kind is { } kind ? TaskEnums.Name(kind) : null);
        Add("status", Status == "open" ? null : Status);
        Add("dueFrom", DueFrom);
        Add("dueTo", DueTo);
        Add("linkKind", LinkKind);
        Add("linkId", LinkId?.ToString());
        Add("overdue", Overdue ? "true" : null);
        Add("q", Q);
        Add("cursor", cursor);
        return "?" + string.Join("&", parts);
    }

    private static DateTimeOffset? Moment(string name, string? text, TimeZoneInfo timeZone, bool endOfDay, IStringLocalizer L, IDictionary<string, string> errors)
    {
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 1900 and <= 9000)
        {
            return TaskTimes.ToInstant(endOfDay ? day.AddDays(1) : day, null, timeZone);
        }

        // An instant must say where it is: without an offset it would silently be read in the server's zone.
        if (text.Length > 10 && (text.EndsWith('Z') || text.EndsWith('z') || text[^6] is '+' or '-')
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && instant.Year is >= 1900 and <= 9000)
        {
            return instant.ToUniversalTime();
        }

        errors[name] = L["Enter a date like 2026-03-31 or an instant like 2026-03-31T07:00:00Z."];
        return null;
    }

    private static string? Clean(StringValues value) =>
        value.Count == 0 || string.IsNullOrWhiteSpace(value[0]) ? null : value[0]!.Trim();
}
