using Crm.Clients.Access;
using Crm.Clients.Audit;
using Crm.Clients.Data;
using Crm.Clients.Domain;
using Crm.Identity.Contracts;
using Crm.SharedKernel.Access;
using Microsoft.EntityFrameworkCore;

namespace Crm.Clients.Areas.Clients.Features.Shared;

/// <summary>What the three cards and lists share: rights, owner, timeline, notes, and the owner check on save.</summary>
internal sealed class ClientCards(
    ClientsDbContext db,
    ClientAccess access,
    OwnerChoices ownerChoices,
    IUserDirectory users,
    ICurrentUser currentUser,
    TimeProvider clock,
    ClientCustomFields customFields,
    Microsoft.Extensions.Localization.IStringLocalizer<ClientsStrings> strings)
{
    public const int PageSize = 50;

    /// <summary>What the "changes" tab of the timeline shows: the record's history rather than the conversation.</summary>
    public static readonly string[] ChangeKinds = ["created", "changed", "owner", "deleted", "restored", "converted", "merged"];

    /// <param name="show">"notes", "tasks", "changes", or anything else for the whole timeline.</param>
    public async Task<CardContext> ContextAsync(ClientRecord record, string? show, CancellationToken cancellationToken)
    {
        var entries = db.Timeline.AsNoTracking().Where(e => e.RecordId == record.Id);
        entries = show switch
        {
            "notes" => entries.Where(e => e.Kind == "note"),
            "tasks" => entries.Where(e => e.Kind == "task"),
            "changes" => entries.Where(e => ChangeKinds.Contains(e.Kind)),
            _ => entries,
        };
        var timeline = await entries
            .OrderByDescending(e => e.CreatedAt)
            .Take(100)
            .Select(e => new TimelineItem(e.Kind, e.Subject, e.Text, e.AuthorName, e.CreatedAt, e.Link))
            .ToListAsync(cancellationToken);
        if (show == "changes")
        {
            timeline = [.. timeline.Concat(await AuditItemsAsync(record.Id, cancellationToken)).OrderByDescending(i => i.CreatedAt).Take(100)];
        }
        var attachments = await db.Attachments.AsNoTracking()
            .Where(a => a.RecordId == record.Id)
            .OrderByDescending(a => a.CreatedAt)
            .Select(a => new AttachmentItem(a.Id, a.FileName, a.Size, a.UploadedByName, a.CreatedAt))
            .ToListAsync(cancellationToken);
        var owner = await users.FindUserAsync(record.OwnerId, cancellationToken);
        return new CardContext(
            record.Kind,
            record.Id,
            owner?.FullName ?? "—",
            await access.AllowsAsync(record, AccessAction.Edit, cancellationToken),
            await access.AllowsAsync(record, AccessAction.Delete, cancellationToken),
            timeline,
            attachments,
            currentUser.TimeZone)
        {
            Show = show is "notes" or "tasks" or "changes" ? show : "all",
            Custom = (await customFields.ForAsync(record.Kind, cancellationToken)).Display(record.CustomFields),
            People = await users.GetActiveUsersAsync(cancellationToken: cancellationToken),
        };
    }

    /// <summary>
    /// The audit log's lines about this record (an import that updated it, say), for the "changes" tab.
    /// A merge or a restore also writes its own timeline entry, so their log lines are not shown twice.
    /// </summary>
    private async Task<IReadOnlyList<TimelineItem>> AuditItemsAsync(Guid recordId, CancellationToken cancellationToken)
    {
        string[] onTimeline = [ClientAudit.Actions.Merge, ClientAudit.Actions.Restore];
        var rows = await db.AuditLog.AsNoTracking()
            .Where(a => a.RecordId == recordId && !onTimeline.Contains(a.Action))
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Take(100)
            .ToListAsync(cancellationToken);
        return [.. rows.Select(a => new TimelineItem("audit", ClientTexts.AuditAction(a.Action, strings), a.Summary, a.UserName, a.At, null))];
    }

    /// <summary>The owners the current user may choose for the action, or a refusal when the chosen one is not among them.</summary>
    public async Task<IReadOnlyList<UserSummary>> OwnerChoicesAsync(Domain.ClientRecord? record, Contracts.ClientKind kind, CancellationToken cancellationToken)
    {
        var action = record is null ? AccessAction.Create : AccessAction.Edit;
        return await ownerChoices.ForAsync(await access.FilterAsync(kind, action, cancellationToken), cancellationToken);
    }

    public static UserSummary? PickOwner(IReadOnlyList<UserSummary> choices, Guid? requested) =>
        choices.FirstOrDefault(u => u.Id == requested);

    public void Write(ClientRecord record, string kind, string subject, string? text = null) =>
        db.Timeline.Add(new TimelineEntry
        {
            Id = Guid.CreateVersion7(),
            RecordKind = record.Kind,
            RecordId = record.Id,
            Kind = kind,
            Subject = subject,
            Text = text,
            AuthorId = currentUser.Id,
            AuthorName = currentUser.DisplayName,
            CreatedAt = clock.GetUtcNow(),
        });

    /// <summary>
    /// A note: the whole text, and a one-line preview as the subject (the subject column holds 500
    /// characters, a note up to 5 000). Mentions stay in the text; the timeline marks them.
    /// </summary>
    public async Task AddNoteAsync(ClientRecord record, string text, CancellationToken cancellationToken)
    {
        text = text.Trim();
        var firstLine = text.Split('\n', 2)[0].Trim();
        Write(record, "note", firstLine.Length <= 200 ? firstLine : firstLine[..199] + "…", text);
        record.LastActivityAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<Guid, UserSummary>> OwnersAsync(IEnumerable<Guid> ownerIds, CancellationToken cancellationToken) =>
        await users.GetUsersAsync(ownerIds, cancellationToken);

    public DateTimeOffset Now => clock.GetUtcNow();
}
