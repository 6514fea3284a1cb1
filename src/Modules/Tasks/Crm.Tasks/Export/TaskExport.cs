using System.Globalization;
using Crm.Identity.Contracts;
using Crm.Tasks.Areas.Tasks.Features.List;
using Crm.Tasks.Areas.Tasks.Features.Shared;
using Crm.Tasks.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;
using MiniExcelLibs;

namespace Crm.Tasks.Export;

/// <summary>
/// Writes the tasks of a list filter to .xlsx row by row from a streaming query, so memory does not grow
/// with the row count: the workbook goes through a temporary file (the zip needs a seekable stream)
/// deleted when the response is done. Dates are in the user's time zone, kinds, priorities and statuses
/// in their language; cells are strings, which spreadsheets never evaluate as formulas.
/// </summary>
internal sealed class TaskExport(TaskDisplay display, IUserDirectory users, IStringLocalizer<TasksStrings> L, ILogger<TaskExport> logger)
{
    public async Task<IResult> WriteAsync(IEnumerable<TaskItem> rows, IReadOnlyList<LinkKindChoice> linkKinds, Guid userId, CancellationToken cancellationToken)
    {
        // Every active user's name at once: a name per row would be a query in a loop.
        var names = (await users.GetActiveUsersAsync(cancellationToken: cancellationToken)).ToDictionary(u => u.Id, u => u.FullName);
        var culture = CultureInfo.CurrentCulture;
        string Date(DateTimeOffset? instant, bool allDay) =>
            instant is { } at ? display.Local(at).ToString(allDay ? "d" : "g", culture) : "";

        var columns = new (string Heading, Func<TaskItem, string> Value)[]
        {
            (L["Due"], t => Date(t.DueAt, t.AllDay)),
            (L["Kind"], t => display.Kind(t.Kind)),
            (L["Title"], t => t.Title),
            (L["Linked record"], t => t.LinkId is null ? "" : $"{linkKinds.FirstOrDefault(k => k.Kind == t.LinkKind)?.Label ?? t.LinkKind}: {t.LinkName}"),
            (L["Assignee"], t => names.GetValueOrDefault(t.AssigneeId, "")),
            (L["Priority"], t => display.Priority(t.Priority)),
            (L["Status"], t => display.Status(t.Status)),
            (L["Overdue"], t => t.IsOverdue(display.Now) ? L["yes"] : ""),
            (L["Result"], t => t.Result ?? ""),
            (L["Completed"], t => Date(t.CompletedAt, false)),
            (L["Author"], t => names.GetValueOrDefault(t.AuthorId, "")),
            (L["Tags"], t => string.Join(", ", t.Tags)),
            (L["Description"], t => t.Description ?? ""),
        };

        var stamp = TaskTimes.Today(display.Now, display.TimeZone).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var path = Path.Combine(Path.GetTempPath(), $"crm-tasks-{Guid.NewGuid():N}.xlsx");
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
        var written = 0;
        await file.SaveAsAsync(
            rows.Select(row =>
            {
                written++;
                var cells = new Dictionary<string, object?>(columns.Length);
                foreach (var (heading, value) in columns)
                {
                    cells[heading] = value(row);
                }

                return cells;
            }),
            printHeader: true,
            sheetName: "tasks",
            excelType: ExcelType.XLSX,
            cancellationToken: cancellationToken);
        file.Position = 0;
        logger.LogInformation("Export of {Count} tasks as XLSX by {UserId}", written, userId);
        return Results.File(file, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"tasks-{stamp}.xlsx");
    }
}
