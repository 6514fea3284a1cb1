using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Crm.Tasks.Domain;

namespace Crm.Tasks.Access;

/// <summary>
/// The one place where the Tasks module applies the access policy. A task is within reach when its
/// assignee is (own, department, all, as for any record), and always for its author: whoever set a task
/// follows it. Lists, my day, the calendar, the card, the export, the API and the feed all go through here.
/// </summary>
internal sealed class TaskAccess(IAccessPolicy policy, IUserDirectory users, ICurrentUser currentUser)
{
    public Task<AccessFilter> FilterAsync(AccessAction action, CancellationToken cancellationToken) =>
        policy.GetFilterAsync(EntityKinds.Task, action, cancellationToken);

    /// <summary>Live (not deleted) tasks within the filter's reach.</summary>
    public static IQueryable<TaskItem> Within(IQueryable<TaskItem> tasks, AccessFilter filter)
    {
        var live = tasks.Where(t => t.DeletedAt == null);
        var userId = filter.UserId;
        var departments = filter.DepartmentIds.ToArray();
        return filter.Scope switch
        {
            AccessScope.All => live,
            AccessScope.Department => live.Where(t => t.AssigneeId == userId || t.AuthorId == userId || departments.Contains(t.AssigneeDepartmentId)),
            AccessScope.Own => live.Where(t => t.AssigneeId == userId || t.AuthorId == userId),
            _ => live.Where(t => false),
        };
    }

    /// <summary>
    /// <see cref="Within"/> as parts whose union it is, each one value of one column (a department, the
    /// assignee, the author), so a page in (due, id) order can take each part's first rows straight from that
    /// column's index and merge them: an OR across the columns, or a list of departments, makes PostgreSQL
    /// walk a whole (due, id) index or sort every match instead.
    /// </summary>
    public static IReadOnlyList<IQueryable<TaskItem>> Parts(IQueryable<TaskItem> tasks, AccessFilter filter)
    {
        var live = tasks.Where(t => t.DeletedAt == null);
        var userId = filter.UserId;
        var departments = filter.DepartmentIds.ToArray();
        return filter.Scope switch
        {
            AccessScope.All => [live],
            AccessScope.Department =>
            [
                .. departments.Select(department => live.Where(t => t.AssigneeDepartmentId == department)),
                live.Where(t => t.AssigneeId == userId),
                live.Where(t => t.AuthorId == userId),
            ],
            AccessScope.Own => [live.Where(t => t.AssigneeId == userId), live.Where(t => t.AuthorId == userId)],
            _ => [live.Where(t => false)],
        };
    }

    /// <summary>
    /// One assignee's live tasks within the filter's reach, filtered by the assignee alone (and the department
    /// copy for a department scope), so my day and the calendar read the open-by-assignee index without
    /// touching the table: the rows <see cref="Within"/> gives for that assignee, except those reached only
    /// as their author (a day shows what is assigned to the person, not what they set for others).
    /// </summary>
    public static IQueryable<TaskItem> OfAssignee(IQueryable<TaskItem> tasks, AccessFilter filter, Guid assigneeId)
    {
        var live = tasks.Where(t => t.DeletedAt == null && t.AssigneeId == assigneeId);
        if (filter.Scope == AccessScope.All || (filter.Scope != AccessScope.None && assigneeId == filter.UserId))
        {
            return live;
        }

        var departments = filter.DepartmentIds.ToArray();
        return filter.Scope == AccessScope.Department ? live.Where(t => departments.Contains(t.AssigneeDepartmentId)) : live.Where(t => false);
    }

    /// <summary>Whether one loaded task is within the filter's reach (the same rule as <see cref="Within"/>).</summary>
    public static bool Allows(AccessFilter filter, TaskItem task) =>
        task.DeletedAt is null && (task.AuthorId == filter.UserId || filter.Allows(task.AssigneeId, task.AssigneeDepartmentId));

    /// <summary>
    /// The users the current user may set tasks for: themself always; with a department scope to create
    /// tasks (a sales head) the active users of their departments; with all, everyone active.
    /// </summary>
    public async Task<IReadOnlyList<UserSummary>> AssignableAsync(CancellationToken cancellationToken)
    {
        var filter = await FilterAsync(AccessAction.Create, cancellationToken);
        var active = filter.Scope switch
        {
            AccessScope.All => await users.GetActiveUsersAsync(null, cancellationToken),
            AccessScope.Department => await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken),
            _ => [],
        };
        if (active.Any(u => u.Id == filter.UserId) || !currentUser.IsAuthenticated)
        {
            return active;
        }

        var self = await users.FindUserAsync(filter.UserId, cancellationToken);
        return self is null ? active : [self, .. active];
    }

    /// <summary>The assignee if the current user may set tasks for them, else null.</summary>
    public async Task<UserSummary?> AssignableAsync(Guid userId, CancellationToken cancellationToken) =>
        (await AssignableAsync(cancellationToken)).FirstOrDefault(u => u.Id == userId && u.IsActive);

    /// <summary>
    /// The users whose day the current user may look at (my day, calendar): themself, and those whose tasks
    /// their view scope reaches (a head: the department's managers).
    /// </summary>
    public async Task<IReadOnlyList<UserSummary>> ViewableAssigneesAsync(CancellationToken cancellationToken)
    {
        var filter = await FilterAsync(AccessAction.View, cancellationToken);
        var active = filter.Scope switch
        {
            AccessScope.All => await users.GetActiveUsersAsync(null, cancellationToken),
            AccessScope.Department => await users.GetActiveUsersAsync(filter.DepartmentIds, cancellationToken),
            _ => [],
        };
        if (active.Any(u => u.Id == filter.UserId))
        {
            return active;
        }

        var self = await users.FindUserAsync(filter.UserId, cancellationToken);
        return self is null ? active : [self, .. active];
    }
}
