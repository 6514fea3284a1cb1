using Crm.Clients.Contracts;
using Crm.Deals.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Areas.Mail.Features.Panel;

/// <summary>The mail panel on company, contact and lead cards (a <see cref="ClientCardPanel"/>): see <see cref="MailPanelBuilder"/>.</summary>
internal sealed class MailPanelViewComponent(MailPanelBuilder builder) : ViewComponent
{
    public const string Name = "MailPanel";

    public async Task<IViewComponentResult> InvokeAsync(ClientCardSlot slot)
    {
        var kind = slot.Kind switch
        {
            ClientKind.Company => EntityKinds.Company,
            ClientKind.Contact => EntityKinds.Contact,
            _ => EntityKinds.Lead,
        };
        return View(MailPanelBuilder.ViewPath, await builder.BuildAsync(kind, slot.Id, HttpContext.RequestAborted));
    }
}

/// <summary>The same mail panel on deal cards (a <see cref="DealCardPanel"/>).</summary>
internal sealed class DealMailPanelViewComponent(MailPanelBuilder builder) : ViewComponent
{
    public const string Name = "DealMailPanel";

    public async Task<IViewComponentResult> InvokeAsync(DealCardSlot slot) =>
        View(MailPanelBuilder.ViewPath, await builder.BuildAsync(EntityKinds.Deal, slot.DealId, HttpContext.RequestAborted));
}

/// <summary>
/// What the mail panel on a card shows: the "write" button and the record's latest mails with their
/// status, the error of a failed one and its Retry button. The card is shown only to users who may view
/// the record, and the mails about a record are as visible as the record.
/// </summary>
internal sealed class MailPanelBuilder(MailDbContext db, ICurrentUser currentUser)
{
    public const string ViewPath = "/Areas/Mail/Features/Panel/Default.cshtml";
    public const int Shown = 10;

    public async Task<MailPanel> BuildAsync(string kind, Guid recordId, CancellationToken cancellationToken)
    {
        var mails = db.Outgoing.AsNoTracking().Where(m => m.RecordKind == kind && m.RecordId == recordId);
        var count = await mails.CountAsync(cancellationToken);
        var rows = await mails.OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(Shown)
            .Select(m => new PanelMail(m.Id, m.Subject, m.To, m.Status, m.LastError, m.SentAt ?? m.CreatedAt, m.CreatedByName))
            .ToListAsync(cancellationToken);
        var cardUrl = MailRecords.CardUrl(kind, recordId);
        return new MailPanel(count, rows, $"/mail/compose?kind={kind}&id={recordId}", cardUrl, currentUser.TimeZone);
    }
}

internal sealed record PanelMail(Guid Id, string Subject, string To, MailStatus Status, string? LastError, DateTimeOffset At, string SentBy);

internal sealed record MailPanel(int Count, IReadOnlyList<PanelMail> Mails, string ComposeUrl, string CardUrl, TimeZoneInfo TimeZone)
{
    public string Local(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, TimeZone).ToString("g", System.Globalization.CultureInfo.CurrentCulture);
}
