using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Contracts;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Clients.Export;
using Crm.Clients.Import;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Clients.Areas.Clients.Features.Imports;

/// <summary>
/// Import from Excel or CSV in four steps: upload, map the columns (with a preview of the first rows
/// checked by the form's rules), the job's live progress, the result with the rejected rows.
/// </summary>
[Area("Clients")]
[Authorize]
[Route("imports")]
internal sealed class ImportsController(ImportService imports, ClientsDbContext db, ICurrentUser currentUser, IStringLocalizer<ClientsStrings> strings) : Controller
{
    private IStringLocalizer L => strings;

    /// <summary>The user's imports (an admin's: everyone's), newest first.</summary>
    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var me = currentUser.Id;
        var admin = currentUser.IsInRole(BuiltInRoles.Admin);
        var list = await db.Imports.AsNoTracking()
            .Where(i => i.UserId == me || admin)
            .OrderByDescending(i => i.CreatedAt)
            .Take(100)
            .ToListAsync(cancellationToken);
        return View(new ImportListPage(list, currentUser.TimeZone));
    }

    [HttpGet("new")]
    public IActionResult Create(string? kind) => View(new UploadPage(KindOf(kind) ?? ClientKind.Company, null));

    [HttpPost("new")]
    [RequestSizeLimit(ImportFile.MaxBytes + 1024 * 1024)]
    [RequestFormLimits(MultipartBodyLengthLimit = ImportFile.MaxBytes + 1024 * 1024)]
    public async Task<IActionResult> Create(string? kind, IFormFile? file, CancellationToken cancellationToken)
    {
        var clientKind = KindOf(kind) ?? ClientKind.Company;
        if (!await imports.MayImportAsync(clientKind, cancellationToken))
        {
            return View(new UploadPage(clientKind, L["Your role may not import these records."]));
        }

        if (file is null)
        {
            return View(new UploadPage(clientKind, L["Choose a file to import."]));
        }

        await using var content = file.OpenReadStream();
        var (import, error) = await imports.UploadAsync(content, file.FileName, file.Length, clientKind, cancellationToken);
        return import is null ? View(new UploadPage(clientKind, error)) : Redirect($"/imports/{import.Id}/mapping");
    }

    [HttpGet("{id:guid}/mapping")]
    public async Task<IActionResult> Mapping(Guid id, CancellationToken cancellationToken)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        if (import is null)
        {
            return NotFound();
        }

        return import.Status != ImportStatus.Mapping ? Redirect($"/imports/{id}") : View(await MappingPageAsync(import, new InputErrors(), cancellationToken));
    }

    /// <summary>"Preview" shows the rows with the chosen mapping; "start" checks it and queues the job.</summary>
    [HttpPost("{id:guid}/mapping")]
    public async Task<IActionResult> Mapping(Guid id, [FromForm] MappingForm form, CancellationToken cancellationToken)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        if (import is null)
        {
            return NotFound();
        }

        if (import.Status != ImportStatus.Mapping)
        {
            return Redirect($"/imports/{id}");
        }

        if (form.Start)
        {
            var errors = await imports.StartAsync(import, form.Fields, form.Duplicates, form.Key, form.DefaultOwnerId, cancellationToken);
            if (errors.IsEmpty)
            {
                return Redirect($"/imports/{id}");
            }

            return View(await MappingPageAsync(import, errors, cancellationToken));
        }

        var checkedMapping = await imports.ApplyAsync(import, form.Fields, form.Duplicates, form.Key, cancellationToken);
        import.DefaultOwnerId = form.DefaultOwnerId;
        return View(await MappingPageAsync(import, checkedMapping, cancellationToken));
    }

    [HttpGet("{id:guid}")]
    public async Task<IActionResult> Show(Guid id, CancellationToken cancellationToken)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        return import is null ? NotFound() : View(new ImportResultPage(import));
    }

    /// <summary>The progress block alone, polled by htmx every second until the import is finished.</summary>
    [HttpGet("{id:guid}/progress")]
    public async Task<IActionResult> Progress(Guid id, CancellationToken cancellationToken)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        return import is null ? NotFound() : PartialView("_Progress", new ImportResultPage(import));
    }

    /// <summary>The rejected rows as .xlsx: the row number, the reason, and the row's cells as they were.</summary>
    [HttpGet("{id:guid}/rejected")]
    public async Task<IResult> Rejected(Guid id, [FromServices] ClientExport export, CancellationToken cancellationToken)
    {
        var import = await imports.FindAsync(id, cancellationToken);
        return import is null ? Results.NotFound() : await RejectedRows.WriteAsync(import, db, export, Response, L, currentUser.Id, cancellationToken);
    }

    private async Task<MappingPage> MappingPageAsync(ClientImport import, InputErrors errors, CancellationToken cancellationToken)
    {
        errors.CopyTo(ModelState, "");
        IReadOnlyList<PreviewRow> preview;
        try
        {
            preview = await imports.PreviewAsync(import, cancellationToken);
        }
        catch (ImportFileException problem)
        {
            ModelState.AddModelError("", problem.Message);
            preview = [];
        }

        return new MappingPage(import, await imports.FieldsAsync(import.Kind, cancellationToken), ImportFields.Keys(import.Kind), await imports.OwnersAsync(import.Kind, cancellationToken), preview);
    }

    public static ClientKind? KindOf(string? kind) => kind switch
    {
        "companies" => ClientKind.Company,
        "contacts" => ClientKind.Contact,
        "leads" => ClientKind.Lead,
        _ => null,
    };
}

/// <summary>Writes the rejected rows of an import as a workbook, straight from the database.</summary>
internal static class RejectedRows
{
    public static async Task<IResult> WriteAsync(ClientImport import, ClientsDbContext db, ClientExport export, HttpResponse response, IStringLocalizer L, Guid userId, CancellationToken cancellationToken)
    {
        var headings = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { L["Row"], L["Reason"] };
        var columns = new List<ExportColumn<ImportRejection>> { new(L["Row"], r => r.RowNumber.ToString(System.Globalization.CultureInfo.InvariantCulture)), new(L["Reason"], r => r.Reason) };
        foreach (var column in import.Columns)
        {
            var heading = column.Header;
            for (var n = 2; !headings.Add(heading); n++)
            {
                heading = $"{column.Header} ({n})";
            }

            var index = column.Index;
            columns.Add(new(heading, r => index < r.Cells.Count ? r.Cells[index] : null));
        }

        var rows = db.ImportRejections.AsNoTracking().Where(r => r.ImportId == import.Id).OrderBy(r => r.RowNumber).AsEnumerable();
        return await export.WriteAsync(response, "xlsx", import.Kind, $"rejected rows of the import of {import.FileName}", rows, columns, userId, cancellationToken);
    }
}

internal sealed record ImportListPage(IReadOnlyList<ClientImport> Imports, TimeZoneInfo TimeZone)
{
    public string Local(DateTimeOffset time) => TimeZoneInfo.ConvertTime(time, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);
}

internal sealed record UploadPage(ClientKind Kind, string? Error);

internal sealed record MappingPage(ClientImport Import, IReadOnlyList<ImportField> Fields, IReadOnlyList<ImportKey> Keys, IReadOnlyList<UserSummary> Owners, IReadOnlyList<PreviewRow> Preview);

internal sealed record ImportResultPage(ClientImport Import)
{
    public bool IsFinished => Import.Status is ImportStatus.Done or ImportStatus.Failed;

    public string ListUrl => "/" + CardContext.Path(Import.Kind);
}

/// <summary>The mapping step's form: a field per column (by index, "" for none) and the options.</summary>
internal sealed class MappingForm
{
    public List<string?> Fields { get; set; } = [];

    public ImportDuplicates Duplicates { get; set; }

    public ImportKey Key { get; set; }

    public Guid? DefaultOwnerId { get; set; }

    /// <summary>Set by the "Start import" button; otherwise the form only refreshes the preview.</summary>
    public bool Start { get; set; }
}
