using Crm.Clients.Contracts;
using Crm.Clients.Domain;
using Crm.SharedKernel.Events;

namespace Crm.Clients.Integration;

/// <summary>The one place that decides what counts as a rename, for the pages, the API and the import alike.</summary>
internal static class ClientEventsPublishing
{
    /// <summary>
    /// After a committed save: one <see cref="ClientsRenamed"/> with the records whose display name differs
    /// from the one they had before the change (ordinal: a change of case is a rename too); nothing when none did.
    /// </summary>
    public static Task PublishRenamesAsync(
        this IIntegrationEvents events, ClientKind kind, IEnumerable<(ClientRecord Record, string NameBefore)> saved, CancellationToken cancellationToken)
    {
        var renamed = saved
            .Where(s => !string.Equals(s.Record.DisplayName, s.NameBefore, StringComparison.Ordinal))
            .Select(s => new RenamedClient(s.Record.Id, s.Record.DisplayName))
            .ToList();
        return renamed.Count == 0 ? Task.CompletedTask : events.PublishAsync(new ClientsRenamed(kind, renamed), cancellationToken);
    }
}
