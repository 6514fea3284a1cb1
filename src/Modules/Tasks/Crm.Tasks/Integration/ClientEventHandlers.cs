using Crm.Clients.Contracts;
using Crm.SharedKernel.Events;
using Crm.Tasks.Contracts;
using Crm.Tasks.Data;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Integration;

/// <summary>
/// Keeps the tasks' copies of client names and ids in step with the Clients module: a rename refreshes
/// the shown name, a merge re-points tasks to the surviving record. Set-based and idempotent.
/// </summary>
internal sealed class ClientEventHandlers(TasksDbContext db) : IIntegrationEventHandler<ClientsRenamed>, IIntegrationEventHandler<ClientMerged>
{
    public async Task HandleAsync(ClientsRenamed e, CancellationToken ct)
    {
        var kind = LinkKind(e.Kind);
        foreach (var client in e.Clients)
        {
            var name = client.Name;
            await db.Tasks.Where(t => t.LinkKind == kind && t.LinkId == client.Id).ExecuteUpdateAsync(s => s.SetProperty(t => t.LinkName, name), ct);
        }
    }

    public async Task HandleAsync(ClientMerged e, CancellationToken ct)
    {
        var kind = LinkKind(e.Kind);
        var name = e.SurvivorName;
        await db.Tasks.Where(t => t.LinkKind == kind && (t.LinkId == e.RemovedId || t.LinkId == e.SurvivorId))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.LinkId, e.SurvivorId).SetProperty(t => t.LinkName, name), ct);
    }

    public static string LinkKind(ClientKind kind) => kind switch
    {
        ClientKind.Company => TaskLinkKinds.Company,
        ClientKind.Contact => TaskLinkKinds.Contact,
        _ => TaskLinkKinds.Lead,
    };
}
