namespace Crm.Deals.Contracts;

/// <summary>A stage as other modules see it; <paramref name="Kind"/> is "open", "won" or "lost".</summary>
public sealed record PipelineStageInfo(Guid Id, string Name, string Kind);

/// <summary>A pipeline with its stages in board order.</summary>
public sealed record PipelineInfo(Guid Id, string Name, IReadOnlyList<PipelineStageInfo> Stages);

/// <summary>A standard deal field another module may set (a scenario's "set a field"): the deal form's key and its label in the user's language.</summary>
public sealed record DealFieldInfo(string Key, string Label);

/// <summary>
/// The pipelines and the settable deal fields, for other modules' admin pages (a scenario's trigger stage, its
/// "move to stage" and "set a field" actions). Pipelines are not secret: anyone may list them.
/// </summary>
public interface IPipelineDirectory
{
    Task<IReadOnlyList<PipelineInfo>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The standard fields <see cref="IDealActions.SetFieldAsync"/> can set. Custom fields are set by "cf:key".
    /// </summary>
    IReadOnlyList<DealFieldInfo> SettableFields { get; }
}
