using System.Text.Json;
using Crm.Clients.Areas.Clients.Features.Imports;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Export;
using Crm.Clients.Import;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Api;

/// <summary>
/// Import for integrators: POST /api/v1/imports (multipart: file, entity, optional mapping, duplicates,
/// key) queues the same job the pages start and answers 202 with the import's id; GET
/// /api/v1/imports/{id} reports status, progress and counts; /rejected gives the rejected rows as .xlsx.
/// Without a mapping the columns are matched by their headings in Russian or English.
/// </summary>
internal static class ImportsApi
{
    public static void MapImportsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1/imports").RequireAuthorization(ApiAuthorization.Policy);
        // Bearer tokens only (no cookie reaches the API), so there is no cross-site request to forge.
        api.MapPost("", CreateAsync).DisableAntiforgery();
        api.MapGet("/{id:guid}", GetAsync);
        api.MapGet("/{id:guid}/rejected", async (Guid id, ImportService imports, ClientsDbContext db, ClientExport export, HttpContext http, IStringLocalizer<ClientsStrings> L, ICurrentUser user, CancellationToken ct) =>
            await imports.FindAsync(id, ct) is { } import
                ? await RejectedRows.WriteAsync(import, db, export, http.Response, L, user.Id, ct)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found"));
    }

    internal sealed record ImportDto(
        Guid Id, string Entity, string Status, int Progress, int Total, int Processed, int Imported, int Updated, int Skipped, int Rejected, string? Error, string FileName, DateTimeOffset CreatedAt)
    {
        public static ImportDto From(ClientImport i) => new(
            i.Id, Areas.Clients.Features.Shared.CardContext.Path(i.Kind), i.Status.ToString().ToLowerInvariant(), i.Percent,
            i.Total, i.Processed, i.Imported, i.Updated, i.Skipped, i.Rejected, i.Error, i.FileName, i.CreatedAt);
    }

    private static async Task<IResult> GetAsync(Guid id, ImportService imports, CancellationToken cancellationToken) =>
        await imports.FindAsync(id, cancellationToken) is { } import
            ? Results.Ok(ImportDto.From(import))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static async Task<IResult> CreateAsync(
        HttpRequest request, ImportService imports, ClientsDbContext db, AttachmentStore store, ICurrentUser user, IStringLocalizer<ClientsStrings> L, CancellationToken cancellationToken)
    {
        if (!request.HasFormContentType)
        {
            return Invalid("file", L["Send the file as multipart/form-data with the fields file and entity."]);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (ImportsController.KindOf(form["entity"]) is not { } kind)
        {
            return Invalid("entity", L["entity must be leads, companies or contacts."]);
        }

        if (!await imports.MayImportAsync(kind, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: L["Your role may not import these records."]);
        }

        var duplicates = ImportDuplicates.Skip;
        if (!string.IsNullOrEmpty(form["duplicates"]) && !Enum.TryParse(form["duplicates"], ignoreCase: true, out duplicates))
        {
            return Invalid("duplicates", L["duplicates must be skip, update or create."]);
        }

        var key = kind == Contracts.ClientKind.Company ? ImportKey.Inn : ImportKey.Email;
        if (!string.IsNullOrEmpty(form["key"]) && (!Enum.TryParse(form["key"], ignoreCase: true, out key) || !ImportFields.Keys(kind).Contains(key)))
        {
            return Invalid("key", L["key must be one of: {0}.", string.Join(", ", ImportFields.Keys(kind).Select(k => k.ToString().ToLowerInvariant()))]);
        }

        Dictionary<string, string?>? mapping = null;
        if (!string.IsNullOrEmpty(form["mapping"]))
        {
            try
            {
                mapping = JsonSerializer.Deserialize<Dictionary<string, string?>>(form["mapping"].ToString());
            }
            catch (JsonException)
            {
                return Invalid("mapping", L["mapping must be a JSON object: column heading → field."]);
            }
        }

        if (form.Files["file"] is not { Length: > 0 } file)
        {
            return Invalid("file", L["Choose a file to import."]);
        }

        await using var content = file.OpenReadStream();
        var (import, error) = await imports.UploadAsync(content, file.FileName, file.Length, kind, cancellationToken);
        if (import is null)
        {
            return Invalid("file", error!);
        }

        var fields = import.Columns.Select(c => c.Field).ToList();
        if (mapping is not null)
        {
            var known = (await imports.FieldsAsync(kind, cancellationToken)).Select(f => f.Key).ToHashSet();
            var errors = new InputErrors();
            foreach (var (heading, field) in mapping)
            {
                if (field is not null && !known.Contains(field))
                {
                    errors.Add("Mapping", L["“{0}” is not a field; the fields are: {1}.", field, string.Join(", ", known)]);
                }

                if (import.Columns.All(c => !string.Equals(c.Header, heading, StringComparison.OrdinalIgnoreCase)))
                {
                    errors.Add("Mapping", L["The file has no column “{0}”.", heading]);
                }
            }

            if (!errors.IsEmpty)
            {
                await DiscardAsync(import, db, store, cancellationToken);
                return Results.ValidationProblem(errors.ToProblemErrors());
            }

            fields = import.Columns
                .Select(c => mapping.FirstOrDefault(m => string.Equals(m.Key, c.Header, StringComparison.OrdinalIgnoreCase)).Value)
                .ToList();
        }

        var problems = await imports.StartAsync(import, fields, duplicates, key, user.Id, cancellationToken);
        if (!problems.IsEmpty)
        {
            await DiscardAsync(import, db, store, cancellationToken);
            return Results.ValidationProblem(problems.ToProblemErrors());
        }

        return Results.Accepted($"/api/v1/imports/{import.Id}", ImportDto.From(import));
    }

    /// <summary>A refused API import leaves nothing behind: no row, no stored file.</summary>
    private static async Task DiscardAsync(ClientImport import, ClientsDbContext db, AttachmentStore store, CancellationToken cancellationToken)
    {
        db.Imports.Remove(import);
        await db.SaveChangesAsync(cancellationToken);
        store.Delete(import.StoragePath);
    }

    private static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });
}
