using Crm.Clients.Contracts;
using Crm.Deals.Data;
using Crm.SharedKernel.Events;
using Microsoft.EntityFrameworkCore;

namespace Crm.Deals.Integration;

/// <summary>
/// Keeps the client names deals show beside the client ids in step with the Clients module. Each event
/// is one set-based UPDATE per kind (never a query per deal), and setting a name or an id is idempotent:
/// the same event twice leaves the same rows (docs/adr/0011). Deleted deals are updated too, so a deal
/// restored later shows the right name.
/// </summary>
internal sealed class ClientEventHandlers(DealsDbContext db) :
    IIntegrationEventHandler<ClientsRenamed>,
    IIntegrationEventHandler<ClientMerged>,
    IIntegrationEventHandler<LeadConverted>
{
    private const int NameLength = 300;

    public async Task HandleAsync(ClientsRenamed e, CancellationToken ct)
    {
        if (e.Clients.Count == 0)
        {
            return;
        }

        // One statement for the whole batch: unnest the ids and names side by side and join on the id.
        var ids = e.Clients.Select(c => c.Id).ToArray();
        var names = e.Clients.Select(c => Cut(c.Name)).ToArray();
        var column = e.Kind switch
        {
            ClientKind.Company => ("company_id", "company_name"),
            ClientKind.Contact => ("contact_id", "contact_name"),
            _ => ("lead_id", "lead_name"),
        };
#pragma warning disable EF1002 // The column names come from the switch above, never from input; the values are parameters.
        await db.Database.ExecuteSqlRawAsync(
            $"""
            UPDATE deals.deals AS d SET {column.Item2} = r.name
            FROM unnest(@p0::uuid[], @p1::text[]) AS r(id, name)
            WHERE d.{column.Item1} = r.id AND d.{column.Item1} = ANY(@p0) AND d.{column.Item2} IS DISTINCT FROM r.name
            """,
            [new Npgsql.NpgsqlParameter("p0", ids), new Npgsql.NpgsqlParameter("p1", names)],
            ct);
#pragma warning restore EF1002
    }

    public async Task HandleAsync(ClientMerged e, CancellationToken ct)
    {
        Guid[] ids = [e.RemovedId, e.SurvivorId];
        var name = Cut(e.SurvivorName);
        var survivor = e.SurvivorId;
        switch (e.Kind)
        {
            case ClientKind.Company:
                await db.Deals.Where(d => d.CompanyId != null && ids.Contains(d.CompanyId.Value))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.CompanyId, survivor).SetProperty(d => d.CompanyName, name), ct);
                break;
            case ClientKind.Contact:
                await db.Deals.Where(d => d.ContactId != null && ids.Contains(d.ContactId.Value))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.ContactId, survivor).SetProperty(d => d.ContactName, name), ct);
                break;
            default:
                await db.Deals.Where(d => d.LeadId != null && ids.Contains(d.LeadId.Value))
                    .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeadId, survivor).SetProperty(d => d.LeadName, name), ct);
                break;
        }
    }

    /// <summary>
    /// The lead's deals now belong to the contact (and company) it became. A deal that already names a
    /// contact or company keeps it: the user chose it deliberately. The lead link stays, as the lead does.
    /// </summary>
    public async Task HandleAsync(LeadConverted e, CancellationToken ct)
    {
        var lead = e.LeadId;
        if (e.ContactId is { } contactId)
        {
            var contactName = e.ContactName is null ? null : Cut(e.ContactName);
            await db.Deals.Where(d => d.LeadId == lead && (d.ContactId == null || d.ContactId == contactId))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.ContactId, contactId).SetProperty(d => d.ContactName, contactName), ct);
        }

        if (e.CompanyId is { } companyId)
        {
            var companyName = e.CompanyName is null ? null : Cut(e.CompanyName);
            await db.Deals.Where(d => d.LeadId == lead && (d.CompanyId == null || d.CompanyId == companyId))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.CompanyId, companyId).SetProperty(d => d.CompanyName, companyName), ct);
        }
    }

    private static string Cut(string name) => name.Length <= NameLength ? name : name[..NameLength];
}
