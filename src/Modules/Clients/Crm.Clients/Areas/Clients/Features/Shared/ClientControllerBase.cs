using Crm.Clients.Access;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using System.Linq.Expressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>
/// The actions the lead, company and contact pages share: finding a record within the scope for an
/// action (anything else is a 404, so ids reveal nothing), notes, and delete to the recycle bin.
/// </summary>
[Area("Clients")]
[Authorize]
internal abstract class ClientControllerBase<TRecord>(ClientsDbContext db, ClientAccess access, ClientCards cards, IStringLocalizer<ClientsStrings> strings) : Controller
    where TRecord : ClientRecord
{
    protected abstract ClientKind Kind { get; }

    protected ClientsDbContext Db => db;

    protected ClientAccess Access => access;

    protected ClientCards Cards => cards;

    /// <summary>The module's strings; named L like the views' localizer so the translation check finds every key.</summary>
    protected IStringLocalizer<ClientsStrings> L => strings;

    protected string ListPath => "/" + CardContext.Path(Kind);

    /// <summary>The kind's name, the default sort and the key of the "name" sort.</summary>
    protected abstract Expression<Func<TRecord, string>> NameKey { get; }

    /// <summary>Every column the kind's list can show and its export can write (see <see cref="ClientColumns"/>).</summary>
    protected abstract List<ListColumn<TRecord>> Columns(ColumnContext context);

    /// <summary>The columns shown until the user chooses.</summary>
    protected abstract IReadOnlyList<string> DefaultColumns { get; }

    /// <summary>The standard fields the list's "field equals" filter offers (custom fields are added to them).</summary>
    protected abstract IReadOnlyList<FieldFilter<TRecord>> FieldFilters { get; }

    /// <summary>The kind's text filter (name, e-mail, phone digits...).</summary>
    protected abstract IQueryable<TRecord> TextFilter(IQueryable<TRecord> records, string? text);

    /// <summary>
    /// What the columns are built from, for the page, its export and the chooser alike: the one place to
    /// load per-request sources of dynamic columns (custom field definitions) into the context.
    /// </summary>
    protected virtual async Task<ColumnContext> ColumnContextAsync(IReadOnlyDictionary<Guid, Crm.Identity.Contracts.UserSummary> owners, CancellationToken cancellationToken) =>
        new(L, owners, TimeZone) { Custom = await CustomFieldsAsync(cancellationToken) };

    private TimeZoneInfo TimeZone => HttpContext.RequestServices.GetRequiredService<ICurrentUser>().TimeZone;

    /// <summary>
    /// A list page: the view scope, the filters, a total counted up to 10 001 rows, one keyset page in
    /// the chosen sort, the chosen columns. For htmx ("show more") only the next rows.
    /// </summary>
    protected async Task<IActionResult> ListAsync(ClientListQuery query, CancellationToken cancellationToken)
    {
        var segments = await SegmentsAsync(cancellationToken);
        ApplySegment(query, segments);
        var setting = await SettingAsync(cancellationToken);
        var sort = await SortAsync(query, setting, cancellationToken);
        var period = query.Period(out var invalid);
        var customError = await CustomFilterAsync(query, cancellationToken);
        var records = Filtered(ClientAccess.Within(db.Set<TRecord>().AsNoTracking(), await ViewFilterAsync(cancellationToken)), query, period);
        var total = await records.Take(ListPage.TotalCap + 1).LongCountAsync(cancellationToken);
        if (query.After is { } after)
        {
            records = await sort.AfterAsync(records, db.Set<TRecord>().AsNoTracking(), after, cancellationToken);
        }

        var rows = await sort.Order(records).Take(ClientCards.PageSize + 1).ToListAsync(cancellationToken);
        var next = rows.Count > ClientCards.PageSize ? rows[ClientCards.PageSize - 1].Id : (Guid?)null;
        rows = rows.Take(ClientCards.PageSize).ToList();
        var all = Columns(await ColumnContextAsync(await cards.OwnersAsync(rows.Select(r => r.OwnerId), cancellationToken), cancellationToken));
        var shown = ClientColumns.Choose(all, setting?.Columns, DefaultColumns);
        var page = new ListPage(
            Kind, query,
            shown.Select(c => new ListHeader(c.Key, c.Heading, c.Sort, c.CssClass)).ToList(),
            rows.Select(r => new ListRow(r.Id, shown.Select(c => c.Cell(r)).ToList())).ToList(),
            next, total,
            await cards.OwnerChoicesAsync(null, Kind, cancellationToken),
            await CanCreateAsync(cancellationToken))
        {
            Segments = segments,
            Choices = [.. shown.Skip(1).Select(c => new ColumnChoice(c.Key, c.Heading, true)), .. all.Where(c => c.Key != ClientColumns.NameKey && !shown.Contains(c)).Select(c => new ColumnChoice(c.Key, c.Heading, false))],
            InvalidDates = invalid,
            FilterFields = [.. FieldFilters.Select(f => (f.Key, L[f.Label].Value)), .. (await CustomFieldsAsync(cancellationToken)).Fields.Select(f => (f.Key, f.Label))],
            CustomFilterError = customError,
            ChooserOpen = Request.Query.ContainsKey("chooser"),
        };
        foreach (var name in invalid)
        {
            ModelState.AddModelError(name, L["Enter a date like 2026-03-31."]);
        }

        return Request.Headers.ContainsKey("HX-Request") ? PartialView("_ListRows", page) : View("Index", page);
    }

    /// <summary>Every filter a list understands, on records already within the scope.</summary>
    private IQueryable<TRecord> Filtered(IQueryable<TRecord> records, ClientListQuery query, ListPeriod period) =>
        Standard(
            ClientFilters.Custom(
                ClientFilters.Period(ClientFilters.Idle(ClientFilters.OwnerAndTag(TextFilter(records, query.Q), query.Owner, query.Tag), query.Idle, cards.Now), period, TimeZone),
                query.CustomJson),
            query);

    private static IQueryable<TRecord> Standard(IQueryable<TRecord> records, ClientListQuery query)
    {
        if (query.FieldCondition is Expression<Func<TRecord, bool>> condition)
        {
            records = records.Where(condition);
        }

        if (query.Ids is { } ids)
        {
            records = records.Where(r => ids.Contains(r.Id));
        }

        return records;
    }

    /// <summary>Lets an MVC action answer with a minimal-API result (the export writes the response itself).</summary>
    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }

    /// <summary>
    /// Reads the custom field filter into <see cref="ClientListQuery.CustomJson"/>. A value that does not fit
    /// the field (letters for a number) gives the message, and the filter then matches nothing rather than everything.
    /// </summary>
    private async Task<string?> CustomFilterAsync(ClientListQuery query, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(query.Cf) || string.IsNullOrWhiteSpace(query.Cv))
        {
            return null;
        }

        if (FieldFilters.FirstOrDefault(f => f.Key == query.Cf) is { } standard)
        {
            // A value that fits no record of the field (an unknown status) matches nothing.
            query.FieldCondition = standard.Condition(query.Cv) ?? (Expression<Func<TRecord, bool>>)(r => false);
            return null;
        }

        var set = await CustomFieldsAsync(cancellationToken);
        var field = set.Fields.FirstOrDefault(f => f.Key == query.Cf);
        query.CustomJson = field is null ? null : set.ContainmentFilter(field, query.Cv);
        if (field is not null && query.CustomJson is null)
        {
            query.CustomJson = "{\"\": \"no such value\"}";
            return L["“{0}” does not fit the field “{1}”.", query.Cv.Trim(), field.Label];
        }

        return null;
    }

    private Task<ListSetting?> SettingAsync(CancellationToken cancellationToken)
    {
        var me = CurrentUserId;
        return db.ListSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == me && s.Kind == Kind, cancellationToken);
    }

    /// <summary>The query's sort when it names one (remembered as the user's choice), else the remembered one, else the kind's default.</summary>
    private async Task<ListSort<TRecord>> SortAsync(ClientListQuery query, ListSetting? setting, CancellationToken cancellationToken)
    {
        var custom = await CustomFieldsAsync(cancellationToken);
        if (ClientSorts.IsKnown(query.Sort, custom))
        {
            if (setting?.Sort != query.Sort)
            {
                await db.Database.ExecuteSqlInterpolatedAsync(
                    $"INSERT INTO clients.list_settings (user_id, kind, sort) VALUES ({CurrentUserId}, {Kind.ToString()}, {query.Sort}) ON CONFLICT (user_id, kind) DO UPDATE SET sort = EXCLUDED.sort",
                    cancellationToken);
            }
        }
        else
        {
            query.Sort = ClientSorts.IsKnown(setting?.Sort, custom) ? setting!.Sort : ClientSorts.Default(Kind);
        }

        return ClientSorts.For(Kind, query.Sort, NameKey, custom);
    }

    /// <summary>
    /// The column chooser: the checked columns in the order they were listed, one of them moved up or
    /// down, or back to the defaults; remembered for the user and this kind.
    /// </summary>
    [HttpPost("columns")]
    public async Task<IActionResult> SaveColumns([FromForm] ColumnsForm form, CancellationToken cancellationToken)
    {
        var known = Columns(await ColumnContextAsync(new Dictionary<Guid, Crm.Identity.Contracts.UserSummary>(), cancellationToken)).Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
        var keys = form.Columns.Where(k => known.Contains(k) && k != ClientColumns.NameKey).Distinct(StringComparer.Ordinal).ToList();
        if (form.Move?.Split(':') is [var key, var direction] && keys.IndexOf(key) is var at and >= 0)
        {
            var to = direction == "up" ? at - 1 : at + 1;
            if (to >= 0 && to < keys.Count)
            {
                (keys[at], keys[to]) = (keys[to], keys[at]);
            }
        }

        string[]? columns = form.Move == "reset" ? null : [ClientColumns.NameKey, .. keys];
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO clients.list_settings (user_id, kind, columns) VALUES ({CurrentUserId}, {Kind.ToString()}, {columns}) ON CONFLICT (user_id, kind) DO UPDATE SET columns = EXCLUDED.columns",
            cancellationToken);
        var back = form.Return is { Length: > 0 } r && r[0] == '?' ? r + "&chooser=1" : "?chooser=1";
        return Redirect(ListPath + back);
    }

    /// <summary>The segments of this kind the user may use: their own and the shared ones.</summary>
    private async Task<IReadOnlyList<Segment>> SegmentsAsync(CancellationToken cancellationToken)
    {
        var me = CurrentUserId;
        return await db.Segments.AsNoTracking()
            .Where(s => s.Kind == Kind && (s.AuthorId == me || s.IsShared))
            .OrderBy(s => s.Name)
            .ToListAsync(cancellationToken);
    }

    /// <summary>An opened segment replaces the list's filter with its own (unknown or foreign ids change nothing).</summary>
    private static void ApplySegment(ClientListQuery query, IReadOnlyList<Segment> segments)
    {
        if (query.Segment is { } id && segments.FirstOrDefault(s => s.Id == id) is { } segment)
        {
            query.Q = segment.Text;
            query.Owner = segment.OwnerFilter;
            query.Tag = segment.Tag;
            query.Idle = segment.IdleDays;
            query.CreatedFrom = ListPeriod.Text(segment.CreatedFrom);
            query.CreatedTo = ListPeriod.Text(segment.CreatedTo);
            query.UpdatedFrom = ListPeriod.Text(segment.UpdatedFrom);
            query.UpdatedTo = ListPeriod.Text(segment.UpdatedTo);
            query.Cf = segment.CustomField;
            query.Cv = segment.CustomValue;
        }
    }

    private static string Describe(ClientListQuery query, ListPeriod period) =>
        Crm.Clients.Audit.ClientAudit.Filter(query.Q, query.Owner, query.Tag, query.Idle, query.Segment) + (period.IsSet ? "; " + period.Describe() : "");

    /// <summary>Saves the list's current filter as a named segment, private or shared.</summary>
    [HttpPost("segments")]
    public async Task<IActionResult> SaveSegment([FromForm] SegmentForm form, CancellationToken cancellationToken)
    {
        var name = form.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            TempData["toast"] = L["Name the segment (up to 100 characters)."].Value;
            return Redirect(ListPath + form.QueryString());
        }

        var period = form.Query().Period(out var invalid);
        if (invalid.Count > 0)
        {
            TempData["toast"] = L["Enter a date like 2026-03-31."].Value;
            return Redirect(ListPath + form.QueryString());
        }

        var segment = new Segment
        {
            Id = Guid.CreateVersion7(),
            Kind = Kind,
            Name = name,
            AuthorId = CurrentUserId,
            IsShared = form.Shared,
            Text = string.IsNullOrWhiteSpace(form.Q) ? null : form.Q.Trim()[..Math.Min(form.Q.Trim().Length, 300)],
            OwnerFilter = form.Owner,
            Tag = string.IsNullOrWhiteSpace(form.Tag) ? null : form.Tag.Trim()[..Math.Min(form.Tag.Trim().Length, 50)],
            IdleDays = form.Idle is > 0 and < 10_000 ? form.Idle : null,
            CreatedFrom = period.CreatedFrom,
            CreatedTo = period.CreatedTo,
            UpdatedFrom = period.UpdatedFrom,
            UpdatedTo = period.UpdatedTo,
            CustomField = string.IsNullOrWhiteSpace(form.Cf) || string.IsNullOrWhiteSpace(form.Cv) ? null : form.Cf.Trim()[..Math.Min(form.Cf.Trim().Length, 64)],
            CustomValue = string.IsNullOrWhiteSpace(form.Cf) || string.IsNullOrWhiteSpace(form.Cv) ? null : form.Cv.Trim()[..Math.Min(form.Cv.Trim().Length, 300)],
            CreatedAt = cards.Now,
        };
        db.Segments.Add(segment);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Segment {0} saved.", segment.Name].Value;
        return Redirect($"{ListPath}?segment={segment.Id}");
    }

    /// <summary>Only its author (or an admin) deletes a segment.</summary>
    [HttpPost("segments/{segmentId:guid}/delete")]
    public async Task<IActionResult> DeleteSegment(Guid segmentId, CancellationToken cancellationToken)
    {
        var me = CurrentUserId;
        var admin = User.IsInRole(BuiltInRoles.Admin);
        var deleted = await db.Segments.Where(s => s.Id == segmentId && s.Kind == Kind && (s.AuthorId == me || admin)).ExecuteDeleteAsync(cancellationToken);
        return deleted == 0 ? NotFound() : Redirect(ListPath);
    }

    /// <summary>
    /// The filtered list as .xlsx or .csv within the export scope (a right of its own), streamed row by
    /// row, in the list's sort, with the columns the user shows on the list, in their order.
    /// </summary>
    protected async Task<IResult> ExportAsync(ClientListQuery query, string? format, Crm.Clients.Export.ClientExport export, CancellationToken cancellationToken)
    {
        var filter = await access.FilterAsync(Kind, AccessAction.Export, cancellationToken);
        if (filter.Scope == AccessScope.None)
        {
            return Results.Forbid();
        }

        ApplySegment(query, await SegmentsAsync(cancellationToken));
        var period = query.Period(out var invalid);
        if (invalid.Count > 0)
        {
            return Results.ValidationProblem(invalid.ToDictionary(n => n, _ => new[] { L["Enter a date like 2026-03-31."].Value }));
        }

        var setting = await SettingAsync(cancellationToken);
        var custom = await CustomFieldsAsync(cancellationToken);
        var sort = ClientSorts.For(Kind, ClientSorts.IsKnown(query.Sort, custom) ? query.Sort : setting?.Sort, NameKey, custom);
        await CustomFilterAsync(query, cancellationToken);
        var rows = sort.Order(Filtered(ClientAccess.Within(db.Set<TRecord>().AsNoTracking(), filter), query, period));
        var columns = ClientColumns.Choose(Columns(await ColumnContextAsync(await export.OwnerNamesAsync(cancellationToken), cancellationToken)), setting?.Columns, DefaultColumns)
            .Select(c => new Crm.Clients.Export.ExportColumn<TRecord>(c.Heading, c.Text)).ToArray();
        return await export.WriteAsync(Response, format ?? "xlsx", Kind, Describe(query, period), rows.AsEnumerable(), columns, CurrentUserId, cancellationToken);
    }

    /// <summary>The card's view model, also used to show the card again with a rejected note.</summary>
    protected abstract Task<object> CardModelAsync(TRecord record, NoteForm note, CancellationToken cancellationToken);

    [HttpPost("{id:guid}/notes")]
    public async Task<IActionResult> AddNote(Guid id, [Bind(Prefix = "Note")] NoteForm note, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, AccessAction.View, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        if (!ModelState.IsValid)
        {
            return View("Card", await CardModelAsync(record, note, cancellationToken));
        }

        await cards.AddNoteAsync(record, note.Text, cancellationToken);
        return Redirect($"{ListPath}/{id}");
    }

    public const int BulkLimit = 500;

    /// <summary>"Everything the filter matches" is capped: beyond this the action asks for a narrower filter.</summary>
    public const int BulkFilterLimit = 10_000;

    /// <summary>
    /// Bulk actions on the selected rows: reassign (the new owner must be within the user's reach, and
    /// each record gets an owner entry on its timeline), add or remove a tag, delete to the recycle
    /// bin. Only the selected records the user may edit (or delete) are touched; the toast says how many.
    /// </summary>
    [HttpPost("bulk")]
    public async Task<IActionResult> Bulk([FromForm] BulkForm form, [FromServices] Crm.Clients.Audit.ClientAudit audit, [FromServices] Crm.Clients.Export.ClientExport export, CancellationToken cancellationToken)
    {
        if (form.Action == "export")
        {
            // The selection (or the whole filter) as a workbook, with the list's columns, within the export right.
            var selection = form.AllMatching ? form.Query() : new ClientListQuery { Ids = form.Ids.Distinct().Take(BulkFilterLimit).ToArray() };
            return new ResultAction(await ExportAsync(selection, "xlsx", export, cancellationToken));
        }

        var action = form.Action == "delete" ? AccessAction.Delete : AccessAction.Edit;
        var reach = ClientAccess.Within(db.Set<TRecord>(), await access.FilterAsync(Kind, action, cancellationToken));
        Guid[] ids;
        if (form.AllMatching)
        {
            // The whole filter, as the list shows it (its view scope), then narrowed to what the user may change.
            var query = form.Query();
            var period = query.Period(out var invalid);
            if (invalid.Count > 0)
            {
                TempData["toast"] = L["Enter a date like 2026-03-31."].Value;
                return Redirect(ListPath + query.QueryString(null));
            }

            await CustomFilterAsync(query, cancellationToken);
            ids = await Filtered(ClientAccess.Within(db.Set<TRecord>().AsNoTracking(), await ViewFilterAsync(cancellationToken)), query, period)
                .Select(r => r.Id).Take(BulkFilterLimit + 1).ToArrayAsync(cancellationToken);
            if (ids.Length > BulkFilterLimit)
            {
                TempData["toast"] = L["The filter matches more than {0} records: narrow it down first.", BulkFilterLimit].Value;
                return Redirect(ListPath + query.QueryString(null));
            }
        }
        else
        {
            ids = form.Ids.Distinct().Take(BulkLimit).ToArray();
        }

        var records = ids.Length == 0 ? [] : await reach.Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken);
        var tag = form.Tag?.Trim();
        switch (form.Action)
        {
            case "reassign":
                var owner = ClientCards.PickOwner(await cards.OwnerChoicesAsync(records.FirstOrDefault(), Kind, cancellationToken), form.OwnerId);
                if (owner is null)
                {
                    TempData["toast"] = L["Choose a responsible user from the list."].Value;
                    return Redirect(ListPath);
                }

                var names = await cards.OwnersAsync(records.Select(r => r.OwnerId), cancellationToken);
                foreach (var record in records.Where(r => r.OwnerId != owner.Id))
                {
                    cards.Write(record, "owner", L["Responsible changed"], $"{names.GetValueOrDefault(record.OwnerId)?.FullName ?? "—"} → {owner.FullName}");
                    record.OwnerId = owner.Id;
                    record.OwnerDepartmentId = owner.DepartmentId;
                    record.UpdatedAt = cards.Now;
                }

                break;
            case "tag" or "untag" when !string.IsNullOrEmpty(tag) && tag.Length <= 50:
                foreach (var record in records)
                {
                    record.Tags = form.Action == "tag"
                        ? record.Tags.Append(tag).Distinct(StringComparer.OrdinalIgnoreCase).ToList()
                        : record.Tags.Where(t => !string.Equals(t, tag, StringComparison.OrdinalIgnoreCase)).ToList();
                    record.UpdatedAt = cards.Now;
                }

                break;
            case "delete":
                foreach (var record in records)
                {
                    record.DeletedAt = cards.Now;
                    cards.Write(record, "deleted", L["Moved to the recycle bin"]);
                }

                break;
            default:
                TempData["toast"] = L["Choose an action and what it needs."].Value;
                return Redirect(ListPath);
        }

        audit.Record(
            Crm.Clients.Audit.ClientAudit.Actions.Bulk, Kind, null, records.Count,
            $"{form.Action}{(form.Action == "reassign" ? $" to {form.OwnerId}" : form.Action is "tag" or "untag" ? $" {tag}" : "")}; "
            + (form.AllMatching ? $"all matching ({Describe(form.Query(), form.Query().Period(out _))})" : "selected")
            + $"; {ids.Length} chosen, {records.Count} changed");
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = records.Count == ids.Length
            ? L["Done for {0} record(s).", records.Count].Value
            : L["Done for {0} record(s); {1} selected record(s) are not yours to change.", records.Count, ids.Length - records.Count].Value;
        return Redirect(ListPath);
    }

    /// <summary>Attaching a file is like adding a note: whoever may see the record may attach to it.</summary>
    [HttpPost("{id:guid}/attachments")]
    [RequestSizeLimit(AttachmentStore.DefaultMaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Attach(Guid id, IFormFile? file, [FromServices] AttachmentStore store, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, AccessAction.View, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        if (file is null || file.Length == 0)
        {
            TempData["toast"] = L["Choose a file to attach."].Value;
        }
        else if (file.Length > store.MaxBytes)
        {
            TempData["toast"] = L["The file is larger than {0} MB.", store.MaxBytes / 1024 / 1024].Value;
        }
        else
        {
            var attachment = new Attachment
            {
                Id = Guid.CreateVersion7(),
                RecordKind = Kind,
                RecordId = record.Id,
                FileName = Path.GetFileName(file.FileName).Trim() is { Length: > 0 } name ? name[..Math.Min(name.Length, 255)] : "file",
                ContentType = string.IsNullOrWhiteSpace(file.ContentType) ? "application/octet-stream" : file.ContentType[..Math.Min(file.ContentType.Length, 255)],
                Size = file.Length,
                UploadedBy = CurrentUserId,
                UploadedByName = User.FindFirst(CrmClaimTypes.DisplayName)?.Value ?? "",
                CreatedAt = cards.Now,
            };
            await using (var content = file.OpenReadStream())
            {
                attachment.StoragePath = await store.SaveAsync(attachment.Id, content, attachment.CreatedAt, cancellationToken);
            }

            db.Attachments.Add(attachment);
            cards.Write(record, "file", L["File attached: {0}", attachment.FileName]);
            record.LastActivityAt = cards.Now;
            await db.SaveChangesAsync(cancellationToken);
            TempData["toast"] = L["File {0} attached.", attachment.FileName].Value;
        }

        return Redirect($"{ListPath}/{id}");
    }

    /// <summary>Served only within the record's view scope, always as a download (never rendered in the page's origin).</summary>
    [HttpGet("{id:guid}/attachments/{attachmentId:guid}")]
    public async Task<IActionResult> Download(Guid id, Guid attachmentId, [FromServices] AttachmentStore store, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, AccessAction.View, cancellationToken) is null
            || await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == attachmentId && a.RecordId == id, cancellationToken) is not { } attachment)
        {
            return NotFound();
        }

        return File(store.Open(attachment.StoragePath), "application/octet-stream", attachment.FileName);
    }

    [HttpPost("{id:guid}/attachments/{attachmentId:guid}/delete")]
    public async Task<IActionResult> DeleteAttachment(Guid id, Guid attachmentId, [FromServices] AttachmentStore store, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, AccessAction.Edit, cancellationToken);
        var attachment = record is null ? null : await db.Attachments.SingleOrDefaultAsync(a => a.Id == attachmentId && a.RecordId == id, cancellationToken);
        if (record is null || attachment is null)
        {
            return NotFound();
        }

        db.Attachments.Remove(attachment);
        cards.Write(record, "file", L["File removed: {0}", attachment.FileName]);
        await db.SaveChangesAsync(cancellationToken);
        store.Delete(attachment.StoragePath);
        return Redirect($"{ListPath}/{id}");
    }

    /// <summary>To the recycle bin: hidden everywhere, restorable by whoever may edit it; only an admin purges.</summary>
    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var record = await FindAsync(id, AccessAction.Delete, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        record.DeletedAt = cards.Now;
        cards.Write(record, "deleted", L["Moved to the recycle bin"]);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["{0} moved to the recycle bin.", record.DisplayName].Value;
        return Redirect(ListPath);
    }

    /// <summary>The record when it is live and within the user's scope for the action; otherwise null, answered as 404.</summary>
    protected async Task<TRecord?> FindAsync(Guid id, AccessAction action, CancellationToken cancellationToken) =>
        await ClientAccess.Within(db.Set<TRecord>(), await access.FilterAsync(Kind, action, cancellationToken))
            .SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    /// <summary>
    /// An id that is not found may have been merged into another record: then that record's card, when
    /// the user may see it (so nothing is revealed about records out of reach); otherwise 404.
    /// </summary>
    protected async Task<IActionResult> NotFoundOrMergedAsync(Guid id, CancellationToken cancellationToken) =>
        await ClientMerge.SurvivorAsync(db, id, Kind, cancellationToken) is { } survivor && await FindAsync(survivor, AccessAction.View, cancellationToken) is not null
            ? Redirect($"{ListPath}/{survivor}")
            : NotFound();

    protected async Task<bool> CanCreateAsync(CancellationToken cancellationToken) =>
        (await access.FilterAsync(Kind, AccessAction.Create, cancellationToken)).Scope != AccessScope.None;

    protected Task<AccessFilter> ViewFilterAsync(CancellationToken cancellationToken) =>
        access.FilterAsync(Kind, AccessAction.View, cancellationToken);


    /// <summary>
    /// Checks the chosen responsible user against the user's reach and, when it changes on an existing
    /// record, writes the change to the timeline.
    /// </summary>
    protected async Task<bool> AssignOwnerAsync(TRecord record, Guid? requested, bool isNew, CancellationToken cancellationToken)
    {
        // Nobody chosen: a new record is the author's, an existing one keeps its owner.
        requested ??= isNew ? CurrentUserId : record.OwnerId;
        var owner = ClientCards.PickOwner(await cards.OwnerChoicesAsync(isNew ? null : record, Kind, cancellationToken), requested);
        if (owner is null)
        {
            ModelState.AddModelError("Form.OwnerId", L["Choose a responsible user from the list."]);
            return false;
        }

        if (!ModelState.IsValid)
        {
            return false;
        }

        if (!isNew && record.OwnerId != owner.Id)
        {
            var previous = (await cards.OwnersAsync([record.OwnerId], cancellationToken)).GetValueOrDefault(record.OwnerId)?.FullName ?? "—";
            cards.Write(record, "owner", L["Responsible changed"], $"{previous} → {owner.FullName}");
        }

        record.OwnerId = owner.Id;
        record.OwnerDepartmentId = owner.DepartmentId;
        return true;
    }

    /// <summary>
    /// The version the form was loaded with (PostgreSQL xmin): if someone saved the record since, the
    /// save below fails with a conflict instead of silently overwriting their change.
    /// </summary>
    protected void ExpectVersion(TRecord record, uint? version)
    {
        if (version is { } loaded)
        {
            db.Entry(record).Property(r => r.Version).OriginalValue = loaded;
        }
    }

    /// <summary>Saves, turning a concurrent change by someone else into a message on the form.</summary>
    protected async Task<bool> TrySaveAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError(string.Empty, L["Someone else saved this record meanwhile. Reload the page to see their changes."]);
            return false;
        }
    }

    /// <summary>
    /// After a committed edit: modules that keep the record's name beside its id (Deals) hear of a new one.
    /// Their failures are logged, not shown: the user's save went through.
    /// </summary>
    protected Task PublishRenameAsync(TRecord record, string nameBefore, CancellationToken cancellationToken) =>
        HttpContext.RequestServices.GetRequiredService<IIntegrationEvents>().PublishRenamesAsync(Kind, [(record, nameBefore)], cancellationToken);

    protected Guid CurrentUserId => Guid.Parse(User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)!.Value);

    /// <summary>The owner a form starts with: the record's, else the current user, else the first choice.</summary>
    protected static Guid? DefaultOwner(IReadOnlyList<Crm.Identity.Contracts.UserSummary> choices, Guid? current, Guid me) =>
        choices.FirstOrDefault(u => u.Id == current)?.Id ?? choices.FirstOrDefault(u => u.Id == me)?.Id ?? (choices.Count > 0 ? choices[0].Id : null);

    private Crm.CustomFields.Contracts.ICustomFieldSet? _customFields;
    private readonly Dictionary<string, string> _customErrors = new(StringComparer.Ordinal);

    /// <summary>The kind's custom fields, loaded once per request.</summary>
    protected async Task<Crm.CustomFields.Contracts.ICustomFieldSet> CustomFieldsAsync(CancellationToken cancellationToken) =>
        _customFields ??= await HttpContext.RequestServices.GetRequiredService<ClientCustomFields>().ForAsync(Kind, cancellationToken);

    /// <summary>Puts a form's custom field values on the record; false, with the messages kept for the form, when one is wrong.</summary>
    protected async Task<bool> ApplyCustomAsync(TRecord record, IReadOnlyDictionary<string, string[]> posted, CancellationToken cancellationToken)
    {
        var set = await CustomFieldsAsync(cancellationToken);
        if (ClientCustomFields.Apply(set, record, ClientCustomFields.Typed(set, posted), partial: false, new InputErrors(), _customErrors))
        {
            return true;
        }

        ModelState.AddModelError("Form.Custom", L["Check the additional fields."]);
        return false;
    }

    /// <summary>The custom fields' inputs: what was posted (with its messages), else the record's values.</summary>
    protected async Task<Crm.CustomFields.Contracts.CustomFieldInputs> CustomInputsAsync(TRecord? record, IReadOnlyDictionary<string, string[]> posted, CancellationToken cancellationToken)
    {
        var set = await CustomFieldsAsync(cancellationToken);
        var typed = HttpMethods.IsPost(Request.Method) ? ClientCustomFields.Typed(set, posted) : null;
        return set.Inputs(record?.CustomFields, typed, _customErrors, "Form.Custom");
    }

    /// <summary>A snapshot for the "changed" timeline entry, custom fields included.</summary>
    protected async Task<Dictionary<string, string?>> SnapshotAsync(Dictionary<string, string?> snapshot, TRecord record, CancellationToken cancellationToken) =>
        ClientCustomFields.WithCustom(snapshot, await CustomFieldsAsync(cancellationToken), record);

    protected static string? Clean(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
