namespace Crm.Deals.Contracts;

/// <summary>What other modules show of a deal: number, title, amount, stage and who is responsible.</summary>
public sealed record DealSummary(
    Guid Id, string Number, string Title, decimal Amount, string Currency, Guid PipelineId, Guid StageId, string StageName, bool IsClosed, Guid OwnerId, string Url);

/// <summary>
/// Deal look-ups for other modules (a task or an invoice linked to a deal). Answers respect the current
/// user's access scope: a deal the user may not see is not found.
/// </summary>
public interface IDealDirectory
{
    Task<DealSummary?> FindAsync(Guid dealId, CancellationToken cancellationToken = default);

    /// <summary>Many deals in one query (a log's page of lines); the ones the user may not see, or that do not exist, are absent.</summary>
    Task<IReadOnlyDictionary<Guid, DealSummary>> FindManyAsync(IReadOnlyCollection<Guid> dealIds, CancellationToken cancellationToken = default);

    /// <summary>The deal with this number ("2026-00042" or "2026-42") within the user's scope, or null (a preview "against deal №…").</summary>
    Task<DealSummary?> FindByNumberAsync(string number, CancellationToken cancellationToken = default);
}

/// <summary>
/// The deal card's timeline, written to by other modules (a mail sent or not sent; later a call). The line
/// is stamped with the time and the acting user; the caller has already checked the user may see the deal.
/// </summary>
public interface IDealTimeline
{
    Task WriteAsync(DealTimelineWrite entry, CancellationToken cancellationToken = default);
}

/// <summary>A line for a deal's timeline: kind ("mail"...), a short subject, optional text.</summary>
public sealed record DealTimelineWrite(Guid DealId, string Kind, string Subject, string? Text);

/// <summary>
/// A kind of timeline line another module writes as stored texts (<c>StoredText</c>: an English key with its
/// arguments) of its own <paramref name="Strings"/> class, when it writes from a job that has no reader: the card
/// shows the subject and text in its reader's language, as the bell shows a notification of a registered kind.
/// Registered as a singleton by the writing module. Lines of other kinds, and plain lines written before, are
/// shown as written.
/// </summary>
public sealed record DealTimelineKind(string Kind, Type Strings);

/// <summary>
/// A panel another module adds to the deal card (its tasks, invoices): the name of a view component of that
/// module, invoked with <see cref="DealCardSlot"/>, in <paramref name="Order"/> among the card's side panels.
/// Registered as a singleton. The card is shown only to users who may view the deal.
/// </summary>
public sealed record DealCardPanel(string ViewComponent, int Order);

/// <summary>What a deal card panel is given: the deal it sits on.</summary>
public sealed record DealCardSlot(Guid DealId);
