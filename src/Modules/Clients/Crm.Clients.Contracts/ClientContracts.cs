namespace Crm.Clients.Contracts;

/// <summary>The kinds of client records: a lead (an inquiry not yet qualified), a company, a contact.</summary>
public enum ClientKind
{
    Lead,
    Company,
    Contact,
}

/// <summary>What other modules show of a client: its name, kind and who is responsible.</summary>
public sealed record ClientSummary(ClientKind Kind, Guid Id, string Name, Guid OwnerId, string Url);

/// <summary>
/// Client look-ups for other modules (Deals shows the client's name, Tasks links a task to a lead).
/// Answers respect the current user's access scope: a record the user may not see is not found.
/// </summary>
public interface IClientDirectory
{
    Task<ClientSummary?> FindAsync(ClientKind kind, Guid id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records of a kind whose name, phone or e-mail matches <paramref name="text"/> (as the list's search
    /// box does; blank text matches all), by name, at most <paramref name="limit"/> (500 at most): a picker of
    /// another module (a deal's client).
    /// </summary>
    Task<IReadOnlyList<ClientSummary>> SearchAsync(ClientKind kind, string text, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// The record a merged-away id now lives on (merges into merges are followed: the answer is the final
    /// survivor), or null when the id was never merged. A module that keeps client ids (Deals) calls it when
    /// <see cref="FindAsync"/> finds nothing, and stores the survivor's id instead. Not scope-filtered: it
    /// reveals only an id; look the survivor up with <see cref="FindAsync"/> to see it.
    /// </summary>
    Task<Guid?> FindSurvivorAsync(Guid mergedId, CancellationToken cancellationToken = default);
}

/// <summary>
/// The client card's timeline, written to by any module (a deal moved, a task done, a call, a mail):
/// kind ("note", "deal", "task"...), a short subject, optional text and a link to the source record.
/// </summary>
public interface IClientTimeline
{
    Task WriteAsync(TimelineWrite entry, CancellationToken cancellationToken = default);
}

public sealed record TimelineWrite(
    ClientKind RecordKind,
    Guid RecordId,
    string Kind,
    string Subject,
    string? Text,
    Guid? AuthorId,
    string? Link = null);

/// <summary>A saved list filter (e.g. "not contacted for 90 days") that other modules offer as a target: mailings, reports, bulk tasks.</summary>
public sealed record SegmentSummary(Guid Id, ClientKind Kind, string Name, bool IsShared);

/// <summary>
/// Saved segments for other modules. Matching runs within the current user's view scope, so a
/// mailing built by a manager reaches only that manager's clients.
/// </summary>
public interface IClientSegments
{
    Task<IReadOnlyList<SegmentSummary>> ListAsync(ClientKind kind, CancellationToken cancellationToken = default);

    /// <summary>The ids of the records the segment matches now, streamed (a segment may match a million rows).</summary>
    IAsyncEnumerable<Guid> MatchingIdsAsync(Guid segmentId, CancellationToken cancellationToken = default);
}

/// <summary>
/// A panel another module adds to client cards (the client's deals, tasks, invoices): the name of a
/// view component of that module, invoked with <see cref="ClientCardSlot"/>, in <paramref name="Order"/>
/// among the card's side panels. Registered as a singleton; the card renders the ones for its kind.
/// </summary>
public sealed record ClientCardPanel(string ViewComponent, int Order, params ClientKind[] Kinds);

/// <summary>What a card panel is given: the record it sits on. The card is shown only to users who may view it.</summary>
public sealed record ClientCardSlot(ClientKind Kind, Guid Id);
