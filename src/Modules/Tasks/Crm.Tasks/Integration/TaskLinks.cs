using Crm.Tasks.Contracts;

namespace Crm.Tasks.Integration;

/// <summary>The record kinds tasks can be linked to: every <see cref="ITaskLinkTarget"/> the modules registered.</summary>
internal sealed class TaskLinks(IEnumerable<ITaskLinkTarget> targets)
{
    private readonly IReadOnlyList<ITaskLinkTarget> all = targets.ToList();

    public IReadOnlyList<ITaskLinkTarget> All => all;

    public ITaskLinkTarget? Find(string? kind) =>
        kind is null ? null : all.FirstOrDefault(t => string.Equals(t.Kind, kind, StringComparison.OrdinalIgnoreCase));

    /// <summary>The linked record as the current user may see it; null when the kind is unknown or the record out of reach.</summary>
    public async Task<LinkedRecord?> FindAsync(string? kind, Guid? id, CancellationToken cancellationToken) =>
        Find(kind) is { } target && id is { } recordId ? await target.FindAsync(recordId, cancellationToken) : null;
}
