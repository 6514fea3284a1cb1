using System.Globalization;
using Crm.Deals.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using MiniExcelLibs;

namespace Crm.Deals.Export;

/// <summary>A column of an export: its heading (already in the user's language) and how a row gives its text.</summary>
internal sealed record ExportColumn<T>(string Heading, Func<T, string?> Value);

/// <summary>
/// Writes deals to .xlsx row by row from a streaming query, so memory does not grow with the row count:
/// the workbook goes through a temporary file (the zip needs a seekable stream) deleted when the response
/// is done. Cells are written as strings, which spreadsheets never evaluate as formulas. Every export is
/// written to the audit log (row count and filter) once its rows are out.
/// </summary>
internal sealed class DealExport(DealAudit audit, ILogger<DealExport> logger)
{
    public async Task<IResult> WriteAsync<T>(IEnumerable<T> rows, IReadOnlyList<ExportColumn<T>> columns, string filter, Guid userId, CancellationToken cancellationToken)
    {
        var stamp = DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = Path.Combine(Path.GetTempPath(), $"crm-deals-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var written = 0;
        // Headings can repeat (a custom field named like a standard column): the sheet's keys must not.
        var headings = new List<string>(columns.Count);
        foreach (var column in columns)
        {
            var heading = column.Heading;
            for (var n = 2; headings.Contains(heading, StringComparer.Ordinal); n++)
            {
                heading = $"{column.Heading} ({n})";
            }

            headings.Add(heading);
        }

        await file.SaveAsAsync(
            rows.Select(row =>
            {
                written++;
                var cells = new Dictionary<string, object?>(columns.Count);
                for (var i = 0; i < columns.Count; i++)
                {
                    cells[headings[i]] = columns[i].Value(row) ?? "";
                }

                return cells;
            }),
            printHeader: true,
            sheetName: "deals",
            excelType: ExcelType.XLSX,
            cancellationToken: cancellationToken);
        file.Position = 0;
        logger.LogInformation("Export of {Count} deals as XLSX by {UserId}", written, userId);
        // The rows have left already: the line is written even if the client goes away now.
        await audit.RecordNowAsync(DealAudit.Actions.Export, null, $"xlsx; {filter}", written, CancellationToken.None);
        return Results.File(file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"deals-{stamp}.xlsx");
    }
}
