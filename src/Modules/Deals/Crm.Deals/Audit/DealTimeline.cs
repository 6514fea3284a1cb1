using Crm.Clients.Contracts;
using Crm.Deals.Data;
using Crm.Deals.Domain;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Crm.Deals.Audit;

/// <summary>
/// The deal's own timeline and the line its client's card gets, written the same way by every channel
/// (card, form, API, mover, bulk actions). <see cref="Write"/> only adds the row, so it is saved with
/// the change it describes; <see cref="TellClientAsync"/> goes after that save.
/// </summary>
internal sealed class DealTimeline(DealsDbContext db, ICurrentUser currentUser, IClientTimeline clientTimeline, TimeProvider clock, ILogger<DealTimeline> logger)
{
    public const int SubjectLength = 500;
    public const int AuthorLength = 200;

    public void Write(Guid dealId, string kind, string subject, string? text = null, DateTimeOffset? at = null) =>
        db.Timeline.Add(new DealTimelineEntry
        {
            Id = Guid.CreateVersion7(),
            DealId = dealId,
            Kind = kind,
            Subject = Cut(subject, SubjectLength),
            Text = text,
            AuthorId = currentUser.IsAuthenticated ? currentUser.Id : null,
            AuthorName = currentUser.IsAuthenticated ? Cut(currentUser.DisplayName, AuthorLength) : "",
            CreatedAt = at ?? clock.GetUtcNow(),
        });

    /// <summary>
    /// A line on the card of the deal's client (the company, else the contact, else the lead). Call it
    /// after the deal's change is committed: a failure there is logged and must not undo that change.
    /// </summary>
    public async Task TellClientAsync(Deal deal, string subject, CancellationToken cancellationToken)
    {
        var target = deal.CompanyId is { } company ? (ClientKind.Company, company)
            : deal.ContactId is { } contact ? (ClientKind.Contact, contact)
            : deal.LeadId is { } lead ? (ClientKind.Lead, lead)
            : ((ClientKind, Guid)?)null;
        if (target is not var (kind, id))
        {
            return;
        }

        try
        {
            await clientTimeline.WriteAsync(
                new TimelineWrite(kind, id, "deal", subject, null, currentUser.IsAuthenticated ? currentUser.Id : null, "/deals/" + deal.Id),
                cancellationToken);
        }
        catch (Exception exception) when (exception is DbUpdateException or Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning(exception, "The client timeline of deal {DealId} was not written", deal.Id);
        }
    }

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];
}
