using System.Text.RegularExpressions;
using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Merge;

/// <summary>
/// Merging two companies or two contacts: without <c>with</c> the page offers the record's likely
/// duplicates (or a pasted link); with it both records stand side by side, the user picks the one to
/// keep and, per field, which value it keeps. The user needs Edit on both and Delete on the one removed;
/// anything else is a 404, as everywhere. Leads are not merged: they are converted.
/// </summary>
[Area("Clients")]
[Authorize]
internal sealed partial class MergeController(
    ClientsDbContext db, ClientAccess access, ClientMerge merge, DuplicateFinder duplicates, IUserDirectory users, IStringLocalizer<ClientsStrings> strings)
    : Controller
{
    private IStringLocalizer<ClientsStrings> L => strings;

    [HttpGet("companies/{id:guid}/merge")]
    public Task<IActionResult> Companies(Guid id, string? with, CancellationToken cancellationToken) =>
        PageAsync(Company, id, with, null, cancellationToken);

    [HttpPost("companies/{id:guid}/merge")]
    public Task<IActionResult> Companies(Guid id, string? with, MergeForm form, CancellationToken cancellationToken) =>
        MergeAsync(Company, id, with, form, cancellationToken);

    [HttpGet("contacts/{id:guid}/merge")]
    public Task<IActionResult> Contacts(Guid id, string? with, CancellationToken cancellationToken) =>
        PageAsync(Contact, id, with, null, cancellationToken);

    [HttpPost("contacts/{id:guid}/merge")]
    public Task<IActionResult> Contacts(Guid id, string? with, MergeForm form, CancellationToken cancellationToken) =>
        MergeAsync(Contact, id, with, form, cancellationToken);

    /// <summary>What differs between the kinds: the table, the chosen fields, the united lists, the duplicate search.</summary>
    private sealed record KindOf<T>(
        ClientKind Kind,
        Func<ClientsDbContext, DbSet<T>> Table,
        Func<IStringLocalizer, IReadOnlyDictionary<Guid, UserSummary>, IReadOnlyList<MergeField<T>>> Fields,
        Func<T, IStringLocalizer, IReadOnlyList<(string Label, IReadOnlyList<string> Values)>> Lists,
        Func<DuplicateFinder, T, CancellationToken, Task<Duplicates>> Candidates)
        where T : ClientRecord;

    private static readonly KindOf<Company> Company = new(
        ClientKind.Company, db => db.Companies, MergeFields.Company,
        (c, L) => [(L["Phones"], [.. c.Phones.Select(Requisites.FormatPhone)]), (L["E-mails"], c.Emails), (L["Tags"], c.Tags)],
        (finder, c, ct) => finder.ForCompanyAsync(c, ct));

    private static readonly KindOf<Contact> Contact = new(
        ClientKind.Contact, db => db.Contacts, MergeFields.Contact,
        (c, L) => [(L["Phones"], [.. c.Phones.Select(Requisites.FormatPhone)]), (L["E-mails"], c.Emails), (L["Tags"], c.Tags)],
        (finder, c, ct) => finder.ForContactAsync(c, ct));

    private async Task<IActionResult> PageAsync<T>(KindOf<T> kind, Guid id, string? with, string? error, CancellationToken cancellationToken)
        where T : ClientRecord
    {
        var left = await FindAsync(kind, id, cancellationToken);
        if (left is null)
        {
            return NotFound();
        }

        if (string.IsNullOrWhiteSpace(with))
        {
            return View("Index", new MergePage(kind.Kind, left.Id, left.DisplayName, await kind.Candidates(duplicates, left, cancellationToken)));
        }

        var right = ParseId(with) is { } otherId && otherId != id ? await FindAsync(kind, otherId, cancellationToken) : null;
        if (right is null)
        {
            // A pasted link to nothing mergeable: say so on the picker rather than a bare 404.
            return View("Index", new MergePage(kind.Kind, left.Id, left.DisplayName, await kind.Candidates(duplicates, left, cancellationToken))
            {
                Error = L["Nothing to merge with under that link: it takes another record of the same kind that you may edit."],
            });
        }

        var canRemoveLeft = await access.AllowsAsync(left, AccessAction.Delete, cancellationToken);
        var canRemoveRight = await access.AllowsAsync(right, AccessAction.Delete, cancellationToken);
        if (!canRemoveLeft && !canRemoveRight)
        {
            return NotFound();
        }

        // The record the user came from is kept unless only it may be removed.
        var survivor = canRemoveRight ? left : right;
        var other = survivor == left ? right : left;
        var owners = await users.GetUsersAsync([left.OwnerId, right.OwnerId], cancellationToken);
        var fields = kind.Fields(L, owners);
        var leftLists = kind.Lists(left, L);
        var rightLists = kind.Lists(right, L);
        return View("Index", new MergePage(kind.Kind, left.Id, left.DisplayName, Duplicates.None)
        {
            Left = new MergeSide(left.Id, left.DisplayName, left.Version, CanKeep: canRemoveRight, left.CreatedAt),
            Right = new MergeSide(right.Id, right.DisplayName, right.Version, CanKeep: canRemoveLeft, right.CreatedAt),
            Survivor = survivor.Id,
            Fields = [.. fields.Select(f => new MergeRow(f.Key, f.Label, f.Show(left), f.Show(right), MergeFields.DefaultSource(f, survivor, other)))],
            Lists = [.. leftLists.Zip(rightLists, (l, r) => new MergeListRow(l.Label, l.Values, r.Values, [.. l.Values.Concat(r.Values).Distinct(StringComparer.OrdinalIgnoreCase)]))],
            Error = error,
        });
    }

    private async Task<IActionResult> MergeAsync<T>(KindOf<T> kind, Guid id, string? with, MergeForm form, CancellationToken cancellationToken)
        where T : ClientRecord
    {
        var left = await FindAsync(kind, id, cancellationToken);
        var right = ParseId(with) is { } otherId && otherId != id ? await FindAsync(kind, otherId, cancellationToken) : null;
        if (left is null || right is null || (form.Survivor != left.Id && form.Survivor != right.Id))
        {
            return NotFound();
        }

        var survivor = form.Survivor == left.Id ? left : right;
        var removed = survivor == left ? right : left;
        if (!await access.AllowsAsync(removed, AccessAction.Delete, cancellationToken))
        {
            return NotFound();
        }

        // The versions the page showed: a record saved by someone since fails the merge instead of losing their change.
        ExpectVersion(left, form.Version);
        ExpectVersion(right, form.OtherVersion);
        var fields = kind.Fields(L, await users.GetUsersAsync([left.OwnerId, right.OwnerId], cancellationToken));
        var fromRemoved = fields
            .Where(f => (form.Take.TryGetValue(f.Key, out var source) ? source : MergeFields.DefaultSource(f, survivor, removed)) == removed.Id)
            .Select(f => f.Key)
            .ToHashSet(StringComparer.Ordinal);
        if (!await merge.MergeAsync(survivor, removed, fields, fromRemoved, cancellationToken))
        {
            Response.StatusCode = StatusCodes.Status409Conflict;
            return await PageAsync(kind, id, with, L["One of the records was changed meanwhile: check the values again, then merge."], cancellationToken);
        }

        TempData["toast"] = L["{0} merged into {1}.", removed.DisplayName, survivor.DisplayName].Value;
        return Redirect($"/{CardContext.Path(kind.Kind)}/{survivor.Id}");
    }

    private void ExpectVersion(ClientRecord record, uint? version)
    {
        if (version is { } loaded)
        {
            db.Entry(record).Property(r => r.Version).OriginalValue = loaded;
        }
    }

    private async Task<T?> FindAsync<T>(KindOf<T> kind, Guid id, CancellationToken cancellationToken)
        where T : ClientRecord =>
        await ClientAccess.Within(kind.Table(db), await access.FilterAsync(kind.Kind, AccessAction.Edit, cancellationToken))
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>An id, or the last id in a pasted card link ("https://crm/companies/{id}?show=notes").</summary>
    private static Guid? ParseId(string? text)
    {
        var matches = AnyGuid().Matches(text ?? "");
        return matches.Count > 0 && Guid.TryParse(matches[^1].Value, out var id) ? id : null;
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex AnyGuid();
}

/// <summary>The merge page: the picker (no <see cref="Left"/>/<see cref="Right"/> yet) or both records side by side.</summary>
internal sealed record MergePage(ClientKind Kind, Guid Id, string Name, Duplicates Candidates)
{
    public MergeSide? Left { get; init; }

    public MergeSide? Right { get; init; }

    public Guid Survivor { get; init; }

    public IReadOnlyList<MergeRow> Fields { get; init; } = [];

    public IReadOnlyList<MergeListRow> Lists { get; init; } = [];

    public string? Error { get; init; }

    public string Path => CardContext.Path(Kind);
}

/// <param name="CanKeep">Whether this side may be the one kept: the other side may be deleted by the user.</param>
internal sealed record MergeSide(Guid Id, string Name, uint Version, bool CanKeep, DateTimeOffset CreatedAt);

/// <param name="Chosen">The id of the record whose value is selected.</param>
internal sealed record MergeRow(string Key, string Label, string? Left, string? Right, Guid Chosen);

internal sealed record MergeListRow(string Label, IReadOnlyList<string> Left, IReadOnlyList<string> Right, IReadOnlyList<string> United);

/// <summary>The survivor's id, the source record's id per field key, and both versions as the page showed them.</summary>
internal sealed class MergeForm
{
    public Guid Survivor { get; set; }

    public Dictionary<string, Guid> Take { get; set; } = [];

    /// <summary>The version of the record in the URL.</summary>
    public uint? Version { get; set; }

    /// <summary>The version of the record in <c>with</c>.</summary>
    public uint? OtherVersion { get; set; }
}
