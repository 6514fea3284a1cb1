using Crm.SharedKernel.Localization;
namespace Crm.Deals.Domain;

/// <summary>The answer of <see cref="StageRules.Check"/>: allowed, or refused with the reason (an English text key with its arguments).</summary>
internal sealed record RuleAnswer(bool Allowed, string? Reason = null, object[]? Arguments = null)
{
    public static readonly RuleAnswer Yes = new(true);

    public static RuleAnswer No(string reason, params object[] arguments) => new(false, reason, arguments);
}

/// <summary>
/// The transition rules of a pipeline, pure and the same for every channel (board, card, API, import,
/// scenarios): the mover asks them before anything changes. Reasons are English text keys the caller
/// translates into the user's language.
/// </summary>
internal static class StageRules
{
    /// <param name="pipeline">The deal's pipeline with its stages in order.</param>
    /// <param name="from">The deal's current stage.</param>
    /// <param name="orderFrom">
    /// Where the deal stands in the order: <paramref name="from"/>, or for a deal on a pause stage the
    /// last ordinary open stage it was in (from the stage history), so a paused deal resumes where it left.
    /// </param>
    /// <param name="to">The stage asked for.</param>
    /// <param name="force">An admin's explicit override of the order (audited by the caller).</param>
    public static RuleAnswer Check(Pipeline pipeline, Stage from, Stage orderFrom, Stage to, bool force)
    {
        if (to.PipelineId != pipeline.Id)
        {
            return RuleAnswer.No(TextKey.Of("This stage belongs to another pipeline: change the deal's pipeline instead."));
        }

        if (force || pipeline.Mode == TransitionMode.Free || to.Kind == StageKind.Lost || to.IsPause)
        {
            return RuleAnswer.Yes;
        }

        if (from.IsClosed)
        {
            // Reopening: back to work in any ordinary open stage; won ↔ lost only through reopening.
            return to.Kind == StageKind.Open
                ? RuleAnswer.Yes
                : RuleAnswer.No(TextKey.Of("A closed deal is reopened into an open stage first."));
        }

        var next = Next(pipeline, orderFrom);
        if (next is not null && next.Id == to.Id)
        {
            return RuleAnswer.Yes;
        }

        if (from.IsPause && to.Id == orderFrom.Id)
        {
            return RuleAnswer.Yes;
        }

        if (to.Kind == StageKind.Open && to.Position < orderFrom.Position)
        {
            return pipeline.AllowBack ? RuleAnswer.Yes : RuleAnswer.No(TextKey.Of("This pipeline does not allow moving a deal back."));
        }

        return next is null
            ? RuleAnswer.No(TextKey.Of("In this pipeline a deal moves one stage at a time."))
            : RuleAnswer.No(TextKey.Of("In this pipeline a deal moves one stage at a time: the next stage is «{0}»."), next.Name);
    }

    /// <summary>The next stage in order after <paramref name="stage"/>: open or won, never a pause or lost stage.</summary>
    public static Stage? Next(Pipeline pipeline, Stage stage) =>
        pipeline.Stages
            .Where(s => s.Position > stage.Position && !s.IsPause && s.Kind != StageKind.Lost)
            .OrderBy(s => s.Position)
            .FirstOrDefault();
}
