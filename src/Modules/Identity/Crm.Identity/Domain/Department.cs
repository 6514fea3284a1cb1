namespace Crm.Identity.Domain;

/// <summary>A node of the department tree. A department's head sees its records and those of every sub-department.</summary>
internal sealed class Department
{
    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public Guid? ParentId { get; set; }

    public Guid? HeadUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// The department and all below it. The tree is small (tens of nodes), so it is walked in memory
    /// from one list rather than with a recursive query per request.
    /// </summary>
    public static HashSet<Guid> SelfAndDescendants(Guid root, IEnumerable<Department> all)
    {
        var children = all.Where(d => d.ParentId is not null).ToLookup(d => d.ParentId!.Value, d => d.Id);
        var result = new HashSet<Guid> { root };
        var pending = new Stack<Guid>([root]);
        while (pending.TryPop(out var id))
        {
            foreach (var child in children[id])
            {
                if (result.Add(child))
                {
                    pending.Push(child);
                }
            }
        }

        return result;
    }

    /// <summary>Whether making <paramref name="newParentId"/> the parent of this department would close a cycle.</summary>
    public bool WouldCreateCycle(Guid? newParentId, IEnumerable<Department> all) =>
        newParentId is { } parent && SelfAndDescendants(Id, all).Contains(parent);
}
