using System.Globalization;
using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.List;

/// <summary>
/// The deals list's query as the page, its export and the API read it from the querystring: pipeline,
/// stage, owner, department, mine, stalled, createdFrom/createdTo (yyyy-MM-dd in the user's time zone,
/// inclusive), q, cf.KEY=value (custom field equals), sort and the opaque keyset cursor. One reader, so
/// the page, the export and the API cannot understand a filter differently.
/// </summary>
internal sealed class DealListQuery
{
    public const string CustomPrefix = "cf.";

    public Guid? Pipeline { get; init; }

    public Guid? Stage { get; init; }

    public Guid? Owner { get; init; }

    public Guid? Department { get; init; }

    public bool Mine { get; init; }

    public bool Stalled { get; init; }

    public string? CreatedFrom { get; init; }

    public string? CreatedTo { get; init; }

    public string? Q { get; init; }

    /// <summary>"-created", "amount"…: see <see cref="DealSorts"/>; empty means the user's last choice (page) or newest first (API).</summary>
    public string? Sort { get; set; }

    public string? Cursor { get; init; }

    /// <summary>Custom field filters: field key → the value it must equal.</summary>
    public IReadOnlyDictionary<string, string> Custom { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool IsFiltered => Pipeline is not null || Stage is not null || Owner is not null || Department is not null || Mine || Stalled
        || !string.IsNullOrWhiteSpace(CreatedFrom) || !string.IsNullOrWhiteSpace(CreatedTo) || !string.IsNullOrWhiteSpace(Q) || Custom.Count > 0;

    /// <summary>Reads the querystring; a value that does not read is named in <paramref name="errors"/> and left out.</summary>
    public static DealListQuery Read(IQueryCollection query, IStringLocalizer L, IDictionary<string, string> errors)
    {
        Guid? Id(string name)
        {
            var text = query[name].ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (Guid.TryParse(text.Trim(), out var id))
            {
                return id;
            }

            errors[name] = L["Not a valid id."];
            return null;
        }

        bool Flag(string name)
        {
            var text = query[name].ToString();
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }

            // A checkbox sends "true" (and MVC's hidden "false" after it): the first value decides.
            var first = query[name][0]?.Trim() ?? "";
            if (bool.TryParse(first, out var value))
            {
                return value;
            }

            if (first is "1" or "on")
            {
                return true;
            }

            errors[name] = L["Expected true or false."];
            return false;
        }

        var custom = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > CustomPrefix.Length && !string.IsNullOrWhiteSpace(values.ToString()))
            {
                custom[name[CustomPrefix.Length..]] = values.ToString().Trim();
            }
        }

        return new DealListQuery
        {
            Pipeline = Id("pipeline"),
            Stage = Id("stage"),
            Owner = Id("owner"),
            Department = Id("department"),
            Mine = Flag("mine"),
            Stalled = Flag("stalled"),
            CreatedFrom = Clean(query["createdFrom"]),
            CreatedTo = Clean(query["createdTo"]),
            Q = Clean(query["q"]) is { } q ? q[..Math.Min(q.Length, 200)] : null,
            Sort = Clean(query["sort"]),
            Cursor = Clean(query["cursor"]),
            Custom = custom,
        };
    }

    /// <summary>
    /// The shared <see cref="DealFilter"/> this query gives. Dates are days in <paramref name="timeZone"/>;
    /// custom fields are those of the chosen pipeline (and the global ones), turned into jsonb containment.
    /// </summary>
    public DealFilter Filter(TimeZoneInfo timeZone, ICustomFieldSet customFields, IStringLocalizer L, IDictionary<string, string> errors)
    {
        DateTimeOffset? Day(string name, string? text, int plusDays)
        {
            if (text is null)
            {
                return null;
            }

            if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || day.Year < 1900 || day.Year > 9000)
            {
                errors[name] = L["Enter a date like 2026-03-31."];
                return null;
            }

            return StartOfDay(day.AddDays(plusDays), timeZone);
        }

        var custom = new List<string>();
        foreach (var (key, value) in Custom)
        {
            var field = customFields.Fields.FirstOrDefault(f => f.Key == key);
            if (field is null)
            {
                errors[CustomPrefix + key] = L["There is no such field."];
            }
            else if (customFields.ContainmentFilter(field, value) is { } json)
            {
                custom.Add(json);
            }
            else
            {
                errors[CustomPrefix + key] = L["“{0}” does not fit the field “{1}”.", value, field.Label];
            }
        }

        return new DealFilter
        {
            Owner = Owner,
            Department = Department,
            Mine = Mine,
            Stalled = Stalled,
            From = Day("createdFrom", CreatedFrom, 0),
            To = Day("createdTo", CreatedTo, 1),
            Text = Q,
            Custom = custom,
        };
    }

    /// <summary>Live deals in reach, narrowed by the pipeline, the stage and the shared filter.</summary>
    public IQueryable<Deal> Apply(IQueryable<Deal> deals, DealFilter filter, Guid currentUserId, IEnumerable<Pipeline> pipelines, DateTimeOffset now)
    {
        if (Pipeline is { } pipeline)
        {
            deals = deals.Where(d => d.PipelineId == pipeline);
        }

        if (Stage is { } stage)
        {
            deals = deals.Where(d => d.StageId == stage);
        }

        return DealFilters.Apply(deals, filter, currentUserId, pipelines, now);
    }

    /// <summary>The filter in words for the audit log.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        void Add(string name, object? value)
        {
            if (value is not null && value is not false && !(value is string s && string.IsNullOrWhiteSpace(s)))
            {
                parts.Add($"{name}={value}");
            }
        }

        Add("pipeline", Pipeline);
        Add("stage", Stage);
        Add("owner", Owner);
        Add("department", Department);
        Add("mine", Mine);
        Add("stalled", Stalled);
        Add("createdFrom", CreatedFrom);
        Add("createdTo", CreatedTo);
        Add("q", Q);
        foreach (var (key, value) in Custom)
        {
            Add(CustomPrefix + key, value);
        }

        return parts.Count == 0 ? "no filter" : string.Join("; ", parts);
    }

    /// <summary>The same list with another cursor or sort, as a querystring starting with "?".</summary>
    public string QueryString(string? cursor = null, string? sort = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add(name + "=" + Uri.EscapeDataString(value));
            }
        }

        Add("pipeline", Pipeline?.ToString());
        Add("stage", Stage?.ToString());
        Add("owner", Owner?.ToString());
        Add("department", Department?.ToString());
        Add("mine", Mine ? "true" : null);
        Add("stalled", Stalled ? "true" : null);
        Add("createdFrom", CreatedFrom);
        Add("createdTo", CreatedTo);
        Add("q", Q);
        foreach (var (key, value) in Custom)
        {
            Add(CustomPrefix + key, value);
        }

        Add("sort", sort ?? Sort);
        Add("cursor", cursor);
        return "?" + string.Join("&", parts);
    }

    /// <summary>Midnight of <paramref name="day"/> in the user's zone, in UTC (a midnight skipped by a clock change moves to the hour after).</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo timeZone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (timeZone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, timeZone), TimeSpan.Zero);
    }

    private static string? Clean(Microsoft.Extensions.Primitives.StringValues value) =>
        string.IsNullOrWhiteSpace(value.ToString()) ? null : value[0]?.Trim();
}
