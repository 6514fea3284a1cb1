using Crm.CustomFields.Contracts;
using Crm.Deals.Access;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;

namespace Crm.Deals.Areas.Deals.Features.Shared;

/// <summary>
/// The deal filters as the query string carries them, with the names the list, its export and the API
/// read too (so a link from the board to the list keeps them): owner, department, mine, stalled,
/// createdFrom/createdTo (days of the user's calendar), q, and custom fields as cf.KEY=value.
/// <see cref="DealFilterBinder"/> turns it into a <see cref="DealFilter"/>.
/// </summary>
internal sealed class DealFilterQuery
{
    public const int TextLength = 200;
    public const string CustomPrefix = "cf.";

    public Guid? Owner { get; set; }

    public Guid? Department { get; set; }

    public bool Mine { get; set; }

    public bool Stalled { get; set; }

    /// <summary>Created on or after this day (yyyy-MM-dd as a date input sends it, or 31.12.2026).</summary>
    public string? CreatedFrom { get; set; }

    /// <summary>Created on or before this day.</summary>
    public string? CreatedTo { get; set; }

    public string? Q { get; set; }

    /// <summary>Custom field equality filters by field key (cf.KEY=value).</summary>
    public Dictionary<string, string?> Cf { get; set; } = new(StringComparer.Ordinal);

    public bool IsFiltered =>
        Owner is not null || Department is not null || Mine || Stalled || !string.IsNullOrWhiteSpace(CreatedFrom) || !string.IsNullOrWhiteSpace(CreatedTo)
        || !string.IsNullOrWhiteSpace(Q) || Cf.Values.Any(v => !string.IsNullOrWhiteSpace(v));

    /// <summary>Reads the filters from a query string; an id that does not read is left out.</summary>
    public static DealFilterQuery Read(IQueryCollection query)
    {
        Guid? Id(string name) => Guid.TryParse(query[name].ToString().Trim(), out var id) ? id : null;

        // A checkbox sends "true"; the first value decides.
        bool Flag(string name) => query[name].Count > 0 && query[name][0]?.Trim().ToLowerInvariant() is "true" or "1" or "on";

        string? Text(string name) => string.IsNullOrWhiteSpace(query[name].ToString()) ? null : query[name][0]!.Trim();

        var custom = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, values) in query)
        {
            if (name.StartsWith(CustomPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > CustomPrefix.Length && !string.IsNullOrWhiteSpace(values.ToString()))
            {
                custom[name[CustomPrefix.Length..]] = values[0]?.Trim();
            }
        }

        return new DealFilterQuery
        {
            Owner = Id("owner"),
            Department = Id("department"),
            Mine = Flag("mine"),
            Stalled = Flag("stalled"),
            CreatedFrom = Text("createdFrom"),
            CreatedTo = Text("createdTo"),
            Q = Text("q") is { } q ? q[..Math.Min(q.Length, TextLength)] : null,
            Cf = custom,
        };
    }

    /// <summary>The filters as query pairs, empty ones left out (links to more cards, the list, another pipeline).</summary>
    public IEnumerable<KeyValuePair<string, string?>> Pairs()
    {
        if (Owner is { } owner)
        {
            yield return new("owner", owner.ToString());
        }

        if (Department is { } department)
        {
            yield return new("department", department.ToString());
        }

        if (Mine)
        {
            yield return new("mine", "true");
        }

        if (Stalled)
        {
            yield return new("stalled", "true");
        }

        if (!string.IsNullOrWhiteSpace(CreatedFrom))
        {
            yield return new("createdFrom", CreatedFrom.Trim());
        }

        if (!string.IsNullOrWhiteSpace(CreatedTo))
        {
            yield return new("createdTo", CreatedTo.Trim());
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            yield return new("q", Q.Trim());
        }

        foreach (var (key, value) in Cf.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                yield return new(CustomPrefix + key, value.Trim());
            }
        }
    }

    /// <summary>"?owner=…&amp;q=…" with <paramref name="extra"/> pairs appended; "" when there is nothing.</summary>
    public string QueryString(params KeyValuePair<string, string?>[] extra)
    {
        var pairs = Pairs().Concat(extra.Where(pair => !string.IsNullOrEmpty(pair.Value))).ToList();
        return pairs.Count == 0 ? "" : Microsoft.AspNetCore.Http.QueryString.Create(pairs).Value!;
    }
}

/// <summary>
/// What the filter partial (_DealFilters) shows: where the form goes, the query typed, the choices in the
/// user's reach, the pipeline's custom fields, and the messages about values that did not fit.
/// </summary>
/// <param name="Action">The path the form is sent to (GET).</param>
/// <param name="PipelineId">Sent as a hidden "pipeline" input when <paramref name="PipelineInQuery"/> (the list); the board has it in its path.</param>
internal sealed record DealFilterPanel(
    string Action,
    DealFilterQuery Query,
    Guid? PipelineId,
    bool PipelineInQuery,
    IReadOnlyList<UserSummary> Owners,
    IReadOnlyList<DepartmentSummary> Departments,
    IReadOnlyList<CustomFieldDefinition> CustomFields,
    IReadOnlyDictionary<string, string> Errors)
{
    /// <summary>Other hidden inputs the page keeps across a filter change (a list's sort).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Hidden { get; init; } = [];

    /// <summary>Whether the "my deals" box means anything: a user who sees only own deals needs none.</summary>
    public bool OffersMine { get; init; } = true;

    public static string CustomName(string key) => DealFilterQuery.CustomPrefix + key;
}

/// <summary>
/// Turns a <see cref="DealFilterQuery"/> into the <see cref="DealFilter"/> the queries apply, and builds
/// the filter panel: owners and departments within the user's view scope, the custom fields of kind
/// "deal" for the pipeline (global ones and the pipeline's own), equality filters as jsonb containment.
/// A plain class: a controller makes one with the services it already has.
/// </summary>
internal sealed class DealFilterBinder(IUserDirectory users, ICustomFields customFields, ICurrentUser currentUser, IStringLocalizer<DealsStrings> L)
{
    /// <summary>Matches no deal: the filter of a custom value that fits no value of its field.</summary>
    private const string NoMatch = "{\"\": \"no such value\"}";

    public async Task<(DealFilter Filter, DealFilterPanel Panel)> BindAsync(
        DealFilterQuery query, AccessFilter scope, Guid? pipelineId, string action, bool pipelineInQuery, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var set = await customFields.ForAsync(EntityKinds.Deal, pipelineId?.ToString(), cancellationToken);
        var custom = new List<string>();
        foreach (var (key, value) in query.Cf)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                continue;
            }

            if (set.Fields.FirstOrDefault(f => f.Key == key) is not { } field)
            {
                continue;
            }

            if (set.ContainmentFilter(field, value) is { } json)
            {
                custom.Add(json);
            }
            else
            {
                custom.Add(NoMatch);
                errors[DealFilterPanel.CustomName(key)] = L["“{0}” does not fit the field “{1}”.", value.Trim(), field.Label];
            }
        }

        var zone = currentUser.TimeZone;
        var text = query.Q?.Trim();
        var filter = new DealFilter
        {
            Owner = query.Owner,
            Department = query.Department,
            Mine = query.Mine,
            Stalled = query.Stalled,
            From = Day(query.CreatedFrom, "createdFrom", errors) is { } from ? StartOfDay(from, zone) : null,
            To = Day(query.CreatedTo, "createdTo", errors) is { } to ? StartOfDay(to.AddDays(1), zone) : null,
            Text = string.IsNullOrEmpty(text) ? null : text[..Math.Min(text.Length, DealFilterQuery.TextLength)],
            Custom = custom,
        };

        var panel = new DealFilterPanel(
            action, query, pipelineId, pipelineInQuery,
            await OwnersAsync(scope, cancellationToken),
            await DepartmentsAsync(scope, cancellationToken),
            set.Fields.Where(Filterable).ToList(),
            errors)
        {
            OffersMine = scope.Scope is AccessScope.All or AccessScope.Department,
        };
        return (filter, panel);
    }

    /// <summary>The owners a filter may name: everyone, the departments in reach (and oneself), or only oneself.</summary>
    public async Task<IReadOnlyList<UserSummary>> OwnersAsync(AccessFilter scope, CancellationToken cancellationToken) => scope.Scope switch
    {
        AccessScope.All => await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
        AccessScope.Department => (await users.GetActiveUsersAsync(scope.DepartmentIds, cancellationToken))
            .Concat(await users.FindUserAsync(scope.UserId, cancellationToken) is { } self ? [self] : [])
            .DistinctBy(u => u.Id)
            .OrderBy(u => u.FullName)
            .ToList(),
        AccessScope.Own => await users.FindUserAsync(scope.UserId, cancellationToken) is { } me ? [me] : [],
        _ => [],
    };

    private async Task<IReadOnlyList<DepartmentSummary>> DepartmentsAsync(AccessFilter scope, CancellationToken cancellationToken) => scope.Scope switch
    {
        AccessScope.All => await users.GetDepartmentsAsync(cancellationToken),
        AccessScope.Department => (await users.GetDepartmentsAsync(cancellationToken)).Where(d => scope.DepartmentIds.Contains(d.Id)).ToList(),
        _ => [],
    };

    /// <summary>Fields an equality filter makes sense for (not a free link).</summary>
    private static bool Filterable(CustomFieldDefinition field) => field.Type != CustomFieldType.Link;

    private DateOnly? Day(string? typed, string name, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(typed))
        {
            return null;
        }

        if (TypedDate.Parse(typed) is { } day)
        {
            return day;
        }

        errors[name] = L["Enter a date like 31.12.2026."];
        return null;
    }

    /// <summary>Midnight of <paramref name="day"/> in the user's zone, in UTC (a midnight skipped by a clock change moves to the hour after).</summary>
    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, zone), TimeSpan.Zero);
    }
}
