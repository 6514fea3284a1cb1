using System.Globalization;
using System.Text;
using Crm.Clients.Areas.Clients.Features.Shared;
using Crm.Clients.Audit;
using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using MiniExcelLibs;

namespace Crm.Clients.Export;

/// <summary>A column of an export: its heading (already in the user's language) and how a row gives its text.</summary>
internal sealed record ExportColumn<T>(string Heading, Func<T, string?> Value);

/// <summary>
/// Writes a list to .xlsx or .csv row by row from a streaming query, so memory does not grow with the
/// row count: CSV goes straight to the response; XLSX goes through a temporary file (the zip needs a
/// seekable stream) that is deleted when the response is done. In CSV a value beginning with = + - @,
/// tab or CR gets a leading apostrophe, so a spreadsheet never runs it as a formula; XLSX cells are
/// written as strings, which spreadsheets never evaluate. Every export is written to the audit log
/// (kind, format, row count, filter) once its rows are out.
/// </summary>
internal sealed class ClientExport(IUserDirectory users, ClientAudit audit, ILogger<ClientExport> logger)
{
    public async Task<IReadOnlyDictionary<Guid, UserSummary>> OwnerNamesAsync(CancellationToken cancellationToken) =>
        (await users.GetActiveUsersAsync(cancellationToken: cancellationToken)).ToDictionary(u => u.Id);

    /// <param name="filter">The list's filter in words (<see cref="ClientAudit.Filter"/>), for the audit log.</param>
    public async Task<IResult> WriteAsync<T>(
        HttpResponse response, string format, ClientKind kind, string filter, IEnumerable<T> rows, IReadOnlyList<ExportColumn<T>> columns, Guid userId, CancellationToken cancellationToken)
    {
        var fileName = CardContext.Path(kind);
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            response.ContentType = "text/csv; charset=utf-8";
            response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}-{stamp}.csv\"";
            var count = await WriteCsvAsync(response.Body, rows, columns, cancellationToken);
            logger.LogInformation("Export of {Count} {Kind} rows as CSV by {UserId}", count, fileName, userId);
            await AuditAsync(kind, "csv", count, filter);
            return Results.Empty;
        }

        var path = Path.Combine(Path.GetTempPath(), $"crm-export-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var written = 0;
        await file.SaveAsAsync(
            rows.Select(row =>
            {
                written++;
                var cells = new Dictionary<string, object?>(columns.Count);
                foreach (var column in columns)
                {
                    cells[column.Heading] = column.Value(row) ?? "";
                }

                return cells;
            }),
            printHeader: true,
            sheetName: fileName,
            excelType: ExcelType.XLSX,
            cancellationToken: cancellationToken);
        file.Position = 0;
        logger.LogInformation("Export of {Count} {Kind} rows as XLSX by {UserId}", written, fileName, userId);
        await AuditAsync(kind, "xlsx", written, filter);
        return Results.File(file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"{fileName}-{stamp}.xlsx");
    }

    // The rows have left already: the line is written even if the client goes away now.
    private Task AuditAsync(ClientKind kind, string format, int count, string filter) =>
        audit.RecordNowAsync(ClientAudit.Actions.Export, kind, null, count, $"{format}; {filter}", CancellationToken.None);

    /// <summary>UTF-8 with a byte-order mark and ";" between values: what Excel in a Russian locale opens as columns.</summary>
    private static async Task<int> WriteCsvAsync<T>(Stream body, IEnumerable<T> rows, IReadOnlyList<ExportColumn<T>> columns, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await writer.WriteLineAsync(string.Join(';', columns.Select(c => Csv(c.Heading))));
        var count = 0;
        foreach (var row in rows)
        {
            await writer.WriteLineAsync(string.Join(';', columns.Select(c => Csv(Safe(c.Value(row))))));
            if (++count % 1000 == 0)
            {
                await writer.FlushAsync(cancellationToken);
            }
        }

        await writer.FlushAsync(cancellationToken);
        return count;
    }

    /// <summary>Formula injection: a spreadsheet would evaluate these as formulas.</summary>
    public static string? Safe(string? value) =>
        value is { Length: > 0 } && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;

    private static string Csv(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        return value.IndexOfAny([';', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
