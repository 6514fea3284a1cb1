namespace Crm.Clients.Contracts;

// Integration events of the Clients module, for modules that keep a copy of a client's name next to its
// id (Deals). Published in process through Crm.SharedKernel.Events.IIntegrationEvents, only after the
// change is committed, best effort (docs/adr/0011): a handler that fails is logged and its copy stays
// stale until the next event about the record. Handlers must be idempotent (set the name, re-point the id;
// never append or count): today each event is delivered at most once, but an outbox that replaces this
// delivery retries, i.e. delivers at least once, and must not need handlers rewritten.

/// <summary>
/// Records whose display name (company name, contact's full name, lead name) changed. One event per save:
/// an edit on the page or through the API (PATCH) carries one record, an import batch that updated
/// records carries every updated one whose name changed. Published by the Clients module after the save
/// is committed; never for a save that left the name as it was, nor for a restore from the recycle bin
/// (the name did not change). A merge is told by <see cref="ClientMerged"/> alone.
/// </summary>
public sealed record ClientsRenamed(ClientKind Kind, IReadOnlyList<RenamedClient> Clients);

/// <summary>A record's id and its new display name.</summary>
public sealed record RenamedClient(Guid Id, string Name);

/// <summary>
/// Two records of one kind were merged: <paramref name="RemovedId"/> no longer exists and everything of it
/// now lives on <paramref name="SurvivorId"/>, whose display name (possibly taken from the removed record)
/// is <paramref name="SurvivorName"/>. A handler re-points its rows from the removed id to the survivor
/// and sets the survivor's name on the rows of both ids. Published by the Clients module after the merge's
/// transaction is committed. An id missed this way is still resolved by <see cref="IClientDirectory.FindSurvivorAsync"/>.
/// </summary>
public sealed record ClientMerged(ClientKind Kind, Guid RemovedId, Guid SurvivorId, string SurvivorName);

/// <summary>
/// A lead was converted: it is now (linked to) the contact <paramref name="ContactId"/> and, when one was
/// chosen or created, the company <paramref name="CompanyId"/>; the names are those records' display names
/// at the conversion. The contact is always set by today's conversion; it is nullable so that a conversion
/// into a company alone would not change the contract. Published by the Clients module after the
/// conversion's transaction is committed, from the page and the API alike. The lead itself stays (marked
/// converted), so its id remains valid.
/// </summary>
public sealed record LeadConverted(Guid LeadId, Guid? ContactId, string? ContactName, Guid? CompanyId, string? CompanyName);
