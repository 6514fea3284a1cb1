namespace Crm.SharedKernel.Events;

/// <summary>
/// Tells the other modules, in this process, that something they keep a copy of has changed (a client's
/// name). Call it only after the change is committed: a handler must never see a change that is then
/// rolled back. Handlers are resolved from the caller's DI scope and run one after another, in the order
/// they were registered.
/// </summary>
/// <remarks>
/// Delivery is best effort (docs/adr/0011): a handler that throws is logged and neither fails the caller
/// nor stops the handlers after it, and nothing is retried. That is enough for what the events carry
/// today, display copies (a client's name beside a deal): the change itself is already saved, and a stale
/// copy is set right by the next event about that record. Where money or messages are at stake, a module
/// needs an outbox written in its own transaction instead (ARCHITECTURE.md rule 5).
/// </remarks>
public interface IIntegrationEvents
{
    Task PublishAsync<TEvent>(TEvent e, CancellationToken ct);
}

/// <summary>
/// A module's reaction to another module's event, registered in the module's <c>AddXxxModule</c> as
/// <c>services.AddScoped&lt;IIntegrationEventHandler&lt;ClientsRenamed&gt;, ClientNames&gt;()</c>.
/// </summary>
/// <remarks>
/// Handlers must be idempotent (the same event may come again, e.g. from a retried import batch) and
/// should change their tables with one set-based statement (<c>ExecuteUpdateAsync</c>): they run in the
/// publisher's scope, so changes a failed handler left tracked in a shared DbContext could be saved by
/// whoever saves that context next.
/// </remarks>
public interface IIntegrationEventHandler<in TEvent>
{
    Task HandleAsync(TEvent e, CancellationToken ct);
}
