using Crm.Clients.Access;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Integration;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Events;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Api;

/// <summary>
/// /api/v1/leads, /companies, /contacts: list (filters, keyset cursor), get, create, partial update,
/// delete to the recycle bin, with the rules, scopes and timeline entries of the pages. A record outside
/// the caller's scope answers 404, exactly like one that does not exist.
/// </summary>
internal static class ClientsApi
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public static void MapClientsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1").RequireAuthorization(ApiAuthorization.Policy);
        Map(api.MapGroup("/companies"), new RecordApi<Company, CompanyInput, CompanyDto>(
            ClientKind.Company, db => db.Companies, ClientFilters.Text, (input, company, errors, L, _) => ClientInputs.Apply(input, company, errors, L),
            input => input.OwnerId, CompanyDto.From, ClientSnapshots.Of));
        Map(api.MapGroup("/contacts"), new RecordApi<Contact, ContactInput, ContactDto>(
            ClientKind.Contact, db => db.Contacts, ClientFilters.Text, ClientInputs.Apply,
            input => input.OwnerId, ContactDto.From, ClientSnapshots.Of));
        api.MapPost("/leads/{id:guid}/convert", ConvertLeadAsync);
        api.MapGet("/companies/export", (HttpContext http, ClientsDbContext db, ClientAccess access, Export.ClientExport export, IStringLocalizer<ClientsStrings> L, ICurrentUser user, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(ClientKind.Company, db.Companies, ClientFilters.Text, c => c.Name, ClientColumns.Companies, http, access, export, L, user, clock, ct));
        api.MapGet("/contacts/export", (HttpContext http, ClientsDbContext db, ClientAccess access, Export.ClientExport export, IStringLocalizer<ClientsStrings> L, ICurrentUser user, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(ClientKind.Contact, db.Contacts, ClientFilters.Text, c => c.FullName, ClientColumns.Contacts, http, access, export, L, user, clock, ct));
        api.MapGet("/leads/export", (HttpContext http, ClientsDbContext db, ClientAccess access, Export.ClientExport export, IStringLocalizer<ClientsStrings> L, ICurrentUser user, TimeProvider clock, CancellationToken ct) =>
            ExportAsync(ClientKind.Lead, db.Leads, ClientFilters.Text, l => l.Name, ClientColumns.Leads, http, access, export, L, user, clock, ct));
        Map(api.MapGroup("/leads"), new RecordApi<Lead, LeadInput, LeadDto>(
            ClientKind.Lead, db => db.Leads, ClientFilters.Text, (input, lead, errors, L, _) => ClientInputs.Apply(input, lead, errors, L),
            input => input.OwnerId, LeadDto.From, ClientSnapshots.Of));
    }

    internal sealed record ConvertRequest(Guid? ContactId, Guid? CompanyId, bool? CreateCompany, Guid? OwnerId);

    /// <summary>
    /// POST /api/v1/leads/{id}/convert: without contactId a contact is created from the lead; with
    /// createCompany a company is created from the lead's company name unless companyId links one.
    /// </summary>
    private static async Task<Results<Ok<ConversionResult>, NotFound, ValidationProblem>> ConvertLeadAsync(
        Guid id, ConvertRequest request, ClientsDbContext db, ClientAccess access, LeadConversion conversion, CancellationToken cancellationToken)
    {
        var lead = await ClientAccess.Within(db.Leads, await access.FilterAsync(ClientKind.Lead, AccessAction.Edit, cancellationToken))
            .SingleOrDefaultAsync(l => l.Id == id, cancellationToken);
        if (lead is null)
        {
            return TypedResults.NotFound();
        }

        var (result, errors) = await conversion.ConvertAsync(
            lead, new ConversionRequest(request.ContactId, request.CompanyId, request.CreateCompany ?? false, request.OwnerId ?? lead.OwnerId), cancellationToken);
        return result is null ? TypedResults.ValidationProblem(errors.ToProblemErrors()) : TypedResults.Ok(result);
    }

    /// <summary>
    /// GET /api/v1/{entity}/export?format=xlsx|csv with the list's filters (q, owner, tag, idle,
    /// createdFrom/To, updatedFrom/To as yyyy-MM-dd in the caller's time zone) and sort, streamed, within
    /// the export scope. columns=name,inn,... picks the columns and their order (the keys of the list's
    /// column chooser); without it every column is written.
    /// </summary>
    private static async Task<IResult> ExportAsync<T>(
        ClientKind kind,
        IQueryable<T> table,
        Func<IQueryable<T>, string?, IQueryable<T>> textFilter,
        System.Linq.Expressions.Expression<Func<T, string>> name,
        Func<ColumnContext, List<ListColumn<T>>> registry,
        HttpContext http, ClientAccess access, Export.ClientExport export, IStringLocalizer L, ICurrentUser user, TimeProvider clock, CancellationToken cancellationToken)
        where T : ClientRecord
    {
        var query = http.Request.Query;
        var filter = await access.FilterAsync(kind, AccessAction.Export, cancellationToken);
        if (filter.Scope == AccessScope.None)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "Your role may not export these records.");
        }

        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var period = ListPeriod.Parse(query["createdFrom"], query["createdTo"], query["updatedFrom"], query["updatedTo"], out var invalid);
        foreach (var field in invalid)
        {
            errors[field] = ["Expected a date as yyyy-MM-dd."];
        }

        Guid? owner = null;
        if (!string.IsNullOrEmpty(query["owner"]))
        {
            if (Guid.TryParse(query["owner"], out var ownerId))
            {
                owner = ownerId;
            }
            else
            {
                errors["owner"] = ["Expected a user id."];
            }
        }

        int? idle = null;
        if (!string.IsNullOrEmpty(query["idle"]))
        {
            if (int.TryParse(query["idle"], System.Globalization.CultureInfo.InvariantCulture, out var days))
            {
                idle = days;
            }
            else
            {
                errors["idle"] = ["Expected a number of days."];
            }
        }

        var custom = await http.RequestServices.GetRequiredService<ClientCustomFields>().ForAsync(kind, cancellationToken);
        var all = registry(new ColumnContext(L, await export.OwnerNamesAsync(cancellationToken), user.TimeZone) { Custom = custom });
        var columns = all;
        if (query["columns"].ToString() is { Length: > 0 } wanted)
        {
            var keys = wanted.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var unknown = keys.Where(k => all.All(c => c.Key != k)).ToList();
            if (unknown.Count > 0)
            {
                errors["columns"] = [$"Unknown columns: {string.Join(", ", unknown)}. Known: {string.Join(", ", all.Select(c => c.Key))}."];
            }

            columns = keys.Distinct(StringComparer.Ordinal).Select(k => all.FirstOrDefault(c => c.Key == k)).OfType<ListColumn<T>>().ToList();
        }

        if (query["sort"].ToString() is { Length: > 0 } sortValue && !ClientSorts.IsKnown(sortValue, custom))
        {
            errors["sort"] = [$"Known sorts: {string.Join(", ", ClientSorts.Keys)}, each with a leading - for descending."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        string? q = query["q"], tag = query["tag"];
        var rows = ClientFilters.Period(ClientFilters.Idle(ClientFilters.OwnerAndTag(textFilter(ClientAccess.Within(table.AsNoTracking(), filter), q), owner, tag), idle, clock.GetUtcNow()), period, user.TimeZone);
        var sort = ClientSorts.For(kind, query["sort"], name, custom);
        var described = "api; " + Audit.ClientAudit.Filter(q, owner, tag, idle) + (period.IsSet ? "; " + period.Describe() : "");
        return await export.WriteAsync(
            http.Response, query["format"].ToString() is { Length: > 0 } format ? format : "xlsx", kind, described, sort.Order(rows).AsEnumerable(),
            columns.Select(c => new Export.ExportColumn<T>(c.Heading, c.Text)).ToArray(), user.Id, cancellationToken);
    }

    private static void Map<TRecord, TInput, TDto>(RouteGroupBuilder group, RecordApi<TRecord, TInput, TDto> api)
        where TRecord : ClientRecord, new()
        where TInput : class
    {
        group.MapGet("", api.ListAsync);
        group.MapGet("/{id:guid}", api.GetAsync);
        group.MapPost("", api.CreateAsync);
        group.MapPatch("/{id:guid}", api.UpdateAsync);
        group.MapDelete("/{id:guid}", api.DeleteAsync);
    }
}

internal sealed record ListResponse<TDto>(IReadOnlyList<TDto> Items, Guid? NextCursor);

/// <summary>One kind's endpoints; the kinds differ only in their table, rules, filters and JSON shape.</summary>
internal sealed class RecordApi<TRecord, TInput, TDto>(
    ClientKind kind,
    Func<ClientsDbContext, DbSet<TRecord>> table,
    Func<IQueryable<TRecord>, string?, IQueryable<TRecord>> textFilter,
    Action<TInput, TRecord, InputErrors, IStringLocalizer, DateTimeOffset> apply,
    Func<TInput, Guid?> ownerOf,
    Func<TRecord, TDto> toDto,
    Func<TRecord, IStringLocalizer, Dictionary<string, string?>> snapshot)
    where TRecord : ClientRecord, new()
    where TInput : class
{
    /// <summary>Newest first by id (UUID v7 ids grow with time): the cursor is the last id of the page.</summary>
    private static readonly string[] ExpectedDate = ["Expected a date as yyyy-MM-dd."];

    public async Task<Results<Ok<ListResponse<TDto>>, ValidationProblem>> ListAsync(
        string? q, Guid? owner, string? tag, int? idle, string? createdFrom, string? createdTo, string? updatedFrom, string? updatedTo, Guid? cursor, int? limit,
        ClientsDbContext db, ClientAccess access, TimeProvider clock, ICurrentUser user, CancellationToken cancellationToken)
    {
        var period = ListPeriod.Parse(createdFrom, createdTo, updatedFrom, updatedTo, out var invalid);
        if (invalid.Count > 0)
        {
            return TypedResults.ValidationProblem(invalid.ToDictionary(n => n, _ => ExpectedDate));
        }

        var take = Math.Clamp(limit ?? ClientsApi.DefaultLimit, 1, ClientsApi.MaxLimit);
        var records = ClientAccess.Within(table(db).AsNoTracking(), await access.FilterAsync(kind, AccessAction.View, cancellationToken));
        records = ClientFilters.Period(ClientFilters.Idle(ClientFilters.OwnerAndTag(textFilter(records, q), owner, tag), idle, clock.GetUtcNow()), period, user.TimeZone);
        if (cursor is { } after)
        {
            records = records.Where(r => r.Id.CompareTo(after) < 0);
        }

        var page = await records.OrderByDescending(r => r.Id).Take(take + 1).ToListAsync(cancellationToken);
        var next = page.Count > take ? page[take - 1].Id : (Guid?)null;
        return TypedResults.Ok(new ListResponse<TDto>(page.Take(take).Select(toDto).ToList(), next));
    }

    /// <summary>
    /// A merged-away id answers 301 Moved Permanently with the survivor's URL in Location, when the caller
    /// may see the survivor; otherwise 404 like any id out of reach.
    /// </summary>
    public async Task<Results<Ok<TDto>, NotFound, RedirectHttpResult>> GetAsync(Guid id, ClientsDbContext db, ClientAccess access, HttpContext http, CancellationToken cancellationToken)
    {
        if (await FindAsync(db, access, id, AccessAction.View, cancellationToken) is not { } record)
        {
            return await ClientMerge.SurvivorAsync(db, id, kind, cancellationToken) is { } survivor
                && await FindAsync(db, access, survivor, AccessAction.View, cancellationToken) is not null
                ? TypedResults.Redirect($"/api/v1/{CardContext.Path(kind)}/{survivor}", permanent: true)
                : TypedResults.NotFound();
        }

        http.Response.Headers.ETag = $"\"{record.Version}\"";
        return TypedResults.Ok(toDto(record));
    }

    public async Task<Results<Created<TDto>, ValidationProblem, ForbidHttpResult>> CreateAsync(
        TInput input, ClientsDbContext db, ClientAccess access, ClientCards cards, ICurrentUser currentUser, ClientCustomFields customFields,
        Outbox.ClientOutbox outbox, IStringLocalizer<ClientsStrings> L, CancellationToken cancellationToken)
    {
        if ((await access.FilterAsync(kind, AccessAction.Create, cancellationToken)).Scope == AccessScope.None)
        {
            return TypedResults.Forbid();
        }

        var record = new TRecord { Id = Guid.CreateVersion7(), CreatedAt = cards.Now, UpdatedAt = cards.Now };
        var errors = new InputErrors();
        apply(input, record, errors, L, cards.Now);
        await ApplyCustomAsync(input, record, customFields, partial: false, errors, cancellationToken);
        await AssignOwnerAsync(record, ownerOf(input) ?? currentUser.Id, isNew: true, cards, errors, L, cancellationToken);
        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        }

        table(db).Add(record);
        cards.Write(record, "created", L["Created through the API"]);
        if (kind == ClientKind.Lead)
        {
            outbox.LeadCreated(record.Id, Outbox.ClientOutbox.Channels.Api);
        }

        await db.SaveChangesAsync(cancellationToken);
        if (kind == ClientKind.Lead)
        {
            outbox.Kick();
        }

        return TypedResults.Created($"/api/v1/{CardContext.Path(kind)}/{record.Id}", toDto(record));
    }

    /// <summary>
    /// Changes only the fields sent. With If-Match carrying the version a GET returned (its ETag), a change
    /// by someone else meanwhile answers 409 and changes nothing.
    /// </summary>
    public async Task<Results<Ok<TDto>, NotFound, ValidationProblem, ProblemHttpResult>> UpdateAsync(
        Guid id, TInput input, [FromHeader(Name = "If-Match")] string? ifMatch, ClientsDbContext db, ClientAccess access, ClientCards cards,
        ClientCustomFields customFields, IIntegrationEvents events, IStringLocalizer<ClientsStrings> L, CancellationToken cancellationToken)
    {
        var record = await FindAsync(db, access, id, AccessAction.Edit, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }

        if (ifMatch is not null)
        {
            if (!uint.TryParse(ifMatch.Replace("W/", "", StringComparison.Ordinal).Trim('"', ' '), out var expected))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad If-Match", detail: "If-Match must be the ETag a GET returned.");
            }

            db.Entry(record).Property(r => r.Version).OriginalValue = expected;
        }

        var set = await customFields.ForAsync(kind, cancellationToken);
        var before = ClientCustomFields.WithCustom(snapshot(record, L), set, record);
        var nameBefore = record.DisplayName;
        var errors = new InputErrors();
        apply(input, record, errors, L, cards.Now);
        await ApplyCustomAsync(input, record, customFields, partial: true, errors, cancellationToken);
        if (ownerOf(input) is { } owner)
        {
            await AssignOwnerAsync(record, owner, isNew: false, cards, errors, L, cancellationToken);
        }

        if (!errors.IsEmpty)
        {
            return TypedResults.ValidationProblem(errors.ToProblemErrors());
        }

        record.UpdatedAt = cards.Now;
        if (FieldChanges.Describe(before, ClientCustomFields.WithCustom(snapshot(record, L), set, record)) is { } changes)
        {
            cards.Write(record, "changed", L["Fields changed"], changes);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "Conflict",
                detail: L["Someone else saved this record meanwhile. Reload the page to see their changes."]);
        }

        await events.PublishRenamesAsync(kind, [(record, nameBefore)], cancellationToken);
        return TypedResults.Ok(toDto(record));
    }

    public async Task<Results<NoContent, NotFound>> DeleteAsync(
        Guid id, ClientsDbContext db, ClientAccess access, ClientCards cards, IStringLocalizer<ClientsStrings> L, CancellationToken cancellationToken)
    {
        var record = await FindAsync(db, access, id, AccessAction.Delete, cancellationToken);
        if (record is null)
        {
            return TypedResults.NotFound();
        }

        record.DeletedAt = cards.Now;
        cards.Write(record, "deleted", L["Moved to the recycle bin"]);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The body's "customFields" (all required ones on create; only those sent on update).</summary>
    private async Task ApplyCustomAsync(TInput input, TRecord record, ClientCustomFields customFields, bool partial, InputErrors errors, CancellationToken cancellationToken)
    {
        var body = (input as IHasCustomFields)?.CustomFields;
        if (body is null && partial)
        {
            return;
        }

        var set = await customFields.ForAsync(kind, cancellationToken);
        ClientCustomFields.Apply(set, record, ClientCustomFields.Typed(body ?? new Dictionary<string, System.Text.Json.JsonElement>()), partial, errors);
    }

    private async Task<TRecord?> FindAsync(ClientsDbContext db, ClientAccess access, Guid id, AccessAction action, CancellationToken cancellationToken) =>
        await ClientAccess.Within(table(db), await access.FilterAsync(kind, action, cancellationToken)).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);

    private async Task AssignOwnerAsync(TRecord record, Guid owner, bool isNew, ClientCards cards, InputErrors errors, IStringLocalizer L, CancellationToken cancellationToken)
    {
        var chosen = ClientCards.PickOwner(await cards.OwnerChoicesAsync(isNew ? null : record, kind, cancellationToken), owner);
        if (chosen is null)
        {
            errors.Add("OwnerId", L["Choose a responsible user from the list."]);
            return;
        }

        if (!isNew && record.OwnerId != chosen.Id)
        {
            var previous = (await cards.OwnersAsync([record.OwnerId], cancellationToken)).GetValueOrDefault(record.OwnerId)?.FullName ?? "—";
            cards.Write(record, "owner", L["Responsible changed"], $"{previous} → {chosen.FullName}");
        }

        record.OwnerId = chosen.Id;
        record.OwnerDepartmentId = chosen.DepartmentId;
    }
}

internal sealed record CompanyDto(
    Guid Id, string Name, string? Inn, string? Kpp, string? Ogrn, CompanyType Type, string? Industry, string? Website,
    string? LegalAddress, string? ActualAddress, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails, IReadOnlyList<string> Tags,
    Guid OwnerId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastActivityAt, uint Version, System.Text.Json.JsonElement? CustomFields)
{
    public static CompanyDto From(Company c) => new(
        c.Id, c.Name, c.Inn, c.Kpp, c.Ogrn, c.Type, c.Industry, c.Website, c.LegalAddress, c.ActualAddress,
        c.Phones, c.Emails, c.Tags, c.OwnerId, c.CreatedAt, c.UpdatedAt, c.LastActivityAt, c.Version, c.CustomFields?.RootElement.Clone());
}

internal sealed record ContactDto(
    Guid Id, string FullName, string? Position, DateOnly? Birthday, IReadOnlyList<string> Phones, IReadOnlyList<string> Emails,
    IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? LastActivityAt, uint Version, System.Text.Json.JsonElement? CustomFields)
{
    public static ContactDto From(Contact c) => new(
        c.Id, c.FullName, c.Position, c.Birthday, c.Phones, c.Emails, c.Tags, c.OwnerId, c.CreatedAt, c.UpdatedAt, c.LastActivityAt, c.Version, c.CustomFields?.RootElement.Clone());
}

internal sealed record LeadDto(
    Guid Id, string Name, string? CompanyName, string? Phone, string? Email, LeadSource Source, LeadStatus Status,
    IReadOnlyList<string> Tags, Guid OwnerId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, uint Version, System.Text.Json.JsonElement? CustomFields)
{
    public static LeadDto From(Lead l) => new(
        l.Id, l.Name, l.CompanyName, l.Phone, l.Email, l.Source, l.Status, l.Tags, l.OwnerId, l.CreatedAt, l.UpdatedAt, l.Version, l.CustomFields?.RootElement.Clone());
}
