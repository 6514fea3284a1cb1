using System.Globalization;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Crm.Tasks.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Crm.Tasks.Integration;

/// <summary>
/// A task's placeholders for scenario templates and conditions: <c>task.*</c> (title, kind, due in the company's
/// zone, url, link kind and id), <c>owner.*</c> (the assignee: id, name, e-mail, department) and, when the task is
/// linked to a deal or a client record, that record's own placeholders (<c>deal.*</c>, <c>client.*</c>,
/// <c>contact.*</c>, <c>lead.*</c>) from the module that owns it — its <c>owner</c> stays the assignee.
/// Deleted tasks are not found.
/// </summary>
internal sealed class TaskPlaceholders(TasksDbContext db, IUserDirectory users, IServiceProvider services) : IPlaceholderSource
{
    /// <summary>The zone "task.due" is written in: a scenario belongs to the company, not to one user.</summary>
    private static readonly TimeZoneInfo CompanyZone = TimeZoneInfo.TryFindSystemTimeZoneById("Europe/Moscow", out var zone) ? zone : TimeZoneInfo.Utc;

    public string Kind => EntityKinds.Task;

    public IReadOnlyList<string> Names { get; } =
    [
        "task.title", "task.kind", "task.due", "task.url", "task.link_kind", "owner.name", "owner.email",
        "deal.title", "deal.number", "client.name", "client.email", "client.phone",
    ];

    public async Task<PlaceholderModel?> ModelAsync(Guid id, CancellationToken cancellationToken)
    {
        var task = await db.Tasks.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id && t.DeletedAt == null, cancellationToken);
        if (task is null)
        {
            return null;
        }

        var assignee = await users.FindUserAsync(task.AssigneeId, cancellationToken);
        var due = TimeZoneInfo.ConvertTime(task.DueAt, CompanyZone);
        var model = new PlaceholderModel()
            .Set("task", new Dictionary<string, object?>
            {
                ["id"] = task.Id.ToString(),
                ["title"] = task.Title,
                ["kind"] = task.Kind.ToString().ToLowerInvariant(),
                ["due"] = due.ToString(task.AllDay ? "yyyy-MM-dd" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                ["url"] = "/tasks/" + task.Id,
                ["link_kind"] = task.LinkKind,
                ["link_id"] = task.LinkId?.ToString(),
            })
            .Set("owner", new Dictionary<string, object?>
            {
                ["id"] = task.AssigneeId.ToString(),
                ["name"] = assignee?.FullName,
                ["email"] = assignee?.Email,
                ["department_id"] = task.AssigneeDepartmentId.ToString(),
            });
        if (task.LinkKind is { } linkKind && task.LinkId is { } linkId
            && services.GetServices<IPlaceholderSource>().FirstOrDefault(s => s.Kind == linkKind && s is not TaskPlaceholders) is { } source
            && await source.ModelAsync(linkId, cancellationToken) is { } linked)
        {
            // The linked record's names (deal, client, contact, lead); "owner" stays the assignee.
            model.With(linked);
        }

        return model;
    }
}
