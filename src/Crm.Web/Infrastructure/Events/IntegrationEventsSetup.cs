using Crm.SharedKernel.Events;

namespace Crm.Web.Infrastructure.Events;

internal static class IntegrationEventsSetup
{
    /// <summary>
    /// Scoped, so handlers come from the publisher's scope (the request, or the Hangfire job's scope) and
    /// may use that scope's services: the current user, their own module's DbContext.
    /// </summary>
    public static IServiceCollection AddCrmIntegrationEvents(this IServiceCollection services) =>
        services.AddScoped<IIntegrationEvents, InProcessIntegrationEvents>();
}

/// <summary>
/// In-process delivery after commit, best effort (docs/adr/0011). A handler's failure is logged and
/// swallowed: today's events only refresh display copies (a client's name kept by Deals), the change that
/// raised the event is already committed, and failing the user's save for a stale copy would be worse than
/// the stale copy, which the next event about that record corrects.
/// </summary>
internal sealed class InProcessIntegrationEvents(IServiceProvider services, ILogger<InProcessIntegrationEvents> logger) : IIntegrationEvents
{
    public async Task PublishAsync<TEvent>(TEvent e, CancellationToken ct)
    {
        foreach (var handler in services.GetServices<IIntegrationEventHandler<TEvent>>())
        {
            try
            {
                await handler.HandleAsync(e, ct);
            }
            catch (Exception error) when (!(error is OperationCanceledException && ct.IsCancellationRequested))
            {
                // A cancelled caller (closed request, stopping job) stops here; anything else is the handler's own problem.
                logger.LogError(error, "Integration event handler {Handler} failed on {Event}; its copy stays stale until the next event", handler.GetType().FullName, typeof(TEvent).Name);
            }
        }
    }
}
