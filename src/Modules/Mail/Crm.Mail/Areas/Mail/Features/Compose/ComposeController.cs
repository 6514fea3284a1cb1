using System.Net.Mail;
using Crm.Mail.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.Mail.Sending;
using Crm.Mail.Templates;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Mail.Areas.Mail.Features.Compose;

/// <summary>
/// Writing a mail from a deal, company, contact or lead card, and retrying a failed one. Every route finds
/// the record through its module's contract within the user's view scope; anything else is a 404. The mail
/// is always queued and sent by the job, never in the request; a form posted twice queues once (its key).
/// </summary>
[Area("Mail")]
[Authorize]
[Route("mail")]
internal sealed class ComposeController(
    MailDbContext db,
    MailRecords records,
    MailQueue queue,
    ICurrentUser currentUser,
    IStringLocalizer<MailStrings> strings) : Controller
{
    /// <summary>The request may be a little larger than the attachments it carries (the text, the multipart framing).</summary>
    private const long RequestLimit = MailQueue.MaxAttachmentBytes + (2 * 1024 * 1024);

    private IStringLocalizer<MailStrings> L => strings;

    [HttpGet("compose")]
    public async Task<IActionResult> Compose(string? kind, Guid id, Guid? template, CancellationToken cancellationToken)
    {
        var record = await records.FindAsync(kind, id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        var model = await records.ModelAsync(record.Kind, record.Id, cancellationToken);
        var form = new ComposeForm { Kind = record.Kind, Id = record.Id, To = MailRecords.DefaultAddress(model), FormKey = Guid.NewGuid().ToString("N") };
        RenderedMail? rendered = null;
        if (template is { } templateId && await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken) is { } chosen)
        {
            rendered = await MailTemplateRenderer.RenderAsync(chosen, model);
            (form.TemplateId, form.Subject) = (chosen.Id, rendered.Subject);
        }

        return View("Compose", await PageAsync(record, form, rendered, cancellationToken));
    }

    [HttpPost("compose")]
    [RequestSizeLimit(RequestLimit)]
    [RequestFormLimits(MultipartBodyLengthLimit = RequestLimit)]
    public async Task<IActionResult> Compose([Bind(Prefix = "Form")] ComposeForm form, List<IFormFile>? attachments, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var record = await records.FindAsync(form.Kind, form.Id, cancellationToken);
        if (record is null)
        {
            return NotFound();
        }

        var accounts = await AccountsAsync(cancellationToken);
        var to = Addresses(form.To, "To", required: true);
        var cc = Addresses(form.Cc, "Cc", required: false);
        var subject = form.Subject?.Trim() ?? "";
        if (subject.Length == 0)
        {
            Error("Subject", L["Enter the subject."]);
        }
        else if (subject.Length > OutgoingMail.SubjectLength)
        {
            Error("Subject", L["At most {0} characters.", OutgoingMail.SubjectLength]);
        }

        if (form.AccountId is { } accountId && accounts.All(a => a.Id != accountId))
        {
            Error("AccountId", L["Choose one of the accounts offered."]);
        }

        var model = await records.ModelAsync(record.Kind, record.Id, cancellationToken);
        var template = form.TemplateId is { } templateId ? await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == templateId, cancellationToken) : null;
        var rendered = template is null ? null : await MailTemplateRenderer.RenderAsync(template, model);
        if (form.TemplateId is not null && template is null)
        {
            Error("TemplateId", L["The template was deleted meanwhile: choose another or write the text yourself."]);
        }

        var body = form.Body?.Trim() ?? "";
        if (template is null && body.Length == 0)
        {
            Error("Body", L["Write the text of the mail, or choose a template."]);
        }

        var files = await ReadAttachmentsAsync(attachments ?? [], cancellationToken);
        if (!ModelState.IsValid)
        {
            return View("Compose", await PageAsync(record, form, rendered, cancellationToken));
        }

        var (html, text) = rendered is { } r ? (r.HtmlBody, r.TextBody) : (MailText.ToHtml(body), body);
        var originKey = "compose:" + (Guid.TryParseExact(form.FormKey, "N", out var key) ? key : Guid.NewGuid()).ToString("N");
        await queue.QueueAsync(
            new MailToSend(to!, subject, html, text, record.Kind, record.Id, originKey, form.AccountId ?? accounts.FirstOrDefault()?.Id, currentUser.Id),
            cc, files, cancellationToken);
        TempData["toast"] = L["The mail to {0} is queued for sending.", to!].Value;
        return Redirect(record.Url);
    }

    [HttpPost("{id:guid}/retry")]
    public async Task<IActionResult> Retry(Guid id, CancellationToken cancellationToken)
    {
        var mail = await db.Outgoing.AsNoTracking().Where(m => m.Id == id).Select(m => new { m.RecordKind, m.RecordId, m.CreatedBy }).SingleOrDefaultAsync(cancellationToken);

        // The mail's record decides who may retry it; a mail about no record, its sender or an admin.
        var record = mail?.RecordId is { } recordId ? await records.FindAsync(mail.RecordKind, recordId, cancellationToken) : null;
        var allowed = record is not null || (mail is { RecordId: null } && (mail.CreatedBy == currentUser.Id || currentUser.IsInRole(BuiltInRoles.Admin)));
        if (mail is null || !allowed)
        {
            return NotFound();
        }

        TempData["toast"] = await queue.RetryAsync(id, cancellationToken)
            ? L["The mail is queued for sending again."].Value
            : L["The mail is not failed any more: nothing to retry."].Value;
        return Redirect(record?.Url ?? "/");
    }

    /// <summary>The accounts this user may send from: the shared ones (the default first) and their own.</summary>
    private async Task<List<MailAccount>> AccountsAsync(CancellationToken cancellationToken)
    {
        var userId = currentUser.Id;
        return await db.Accounts.AsNoTracking().Where(a => a.OwnerId == null || a.OwnerId == userId)
            .OrderByDescending(a => a.IsDefault).ThenBy(a => a.OwnerId == null).ThenBy(a => a.Name).ToListAsync(cancellationToken);
    }

    /// <summary>Comma- or semicolon-separated addresses, normalised to "a@x, b@y"; null (with a message) when one is not an address.</summary>
    private string? Addresses(string? typed, string field, bool required)
    {
        var parts = (typed ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0)
        {
            if (required)
            {
                Error(field, L["Enter the recipient's e-mail address."]);
            }

            return null;
        }

        foreach (var part in parts)
        {
            if (!MailAddress.TryCreate(part, out _))
            {
                Error(field, L["“{0}” is not an e-mail address.", part]);
                return null;
            }
        }

        var joined = string.Join(", ", parts);
        if (joined.Length > OutgoingMail.AddressesLength)
        {
            Error(field, L["Too many addresses: at most {0} characters.", OutgoingMail.AddressesLength]);
            return null;
        }

        return joined;
    }

    private async Task<List<MailAttachmentInput>> ReadAttachmentsAsync(List<IFormFile> files, CancellationToken cancellationToken)
    {
        var chosen = files.Where(f => f.Length > 0).ToList();
        if (chosen.Count > MailQueue.MaxAttachments)
        {
            Error("Attachments", L["At most {0} files in one mail.", MailQueue.MaxAttachments]);
            return [];
        }

        var total = chosen.Sum(f => f.Length);
        if (total > MailQueue.MaxAttachmentBytes)
        {
            Error("Attachments", L["The files take {0} MB together; a mail can carry at most {1} MB. Send a link to large files instead.",
                Math.Round(total / 1048576.0, 1), MailQueue.MaxAttachmentBytes / 1048576]);
            return [];
        }

        var result = new List<MailAttachmentInput>();
        foreach (var file in chosen)
        {
            using var buffer = new MemoryStream((int)file.Length);
            await file.CopyToAsync(buffer, cancellationToken);

            // Only the file's own name: a browser may send a path, and a type that does not parse would fail the send.
            var name = Path.GetFileName(file.FileName.Replace('\\', '/'));
            var type = System.Net.Http.Headers.MediaTypeHeaderValue.TryParse(file.ContentType, out var parsed) && parsed.MediaType is { } media ? media : "application/octet-stream";
            result.Add(new MailAttachmentInput(name.Length == 0 ? "file" : name, type, buffer.ToArray()));
        }

        return result;
    }

    private async Task<ComposePage> PageAsync(MailRecord record, ComposeForm form, RenderedMail? rendered, CancellationToken cancellationToken)
    {
        var templates = await db.Templates.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(cancellationToken);
        var accounts = await AccountsAsync(cancellationToken);
        return new ComposePage(record, form, rendered, [.. templates.Select(t => (t.Id, t.Name))],
            [.. accounts.Select(a => (a.Id, a.FromName is null ? a.FromAddress : $"{a.FromName} <{a.FromAddress}> · {a.Name}"))], MailQueue.MaxAttachmentBytes);
    }

    private void Error(string field, string message) => ModelState.AddModelError("Form." + field, message);
}

internal sealed class ComposeForm
{
    public string? Kind { get; set; }

    public Guid Id { get; set; }

    /// <summary>Made when the form is shown: posting it twice (a double click, a reload) queues one mail.</summary>
    public string? FormKey { get; set; }

    public Guid? AccountId { get; set; }

    public string? To { get; set; }

    public string? Cc { get; set; }

    public string? Subject { get; set; }

    /// <summary>Typed text (no template).</summary>
    public string? Body { get; set; }

    /// <summary>The template whose body is sent, rendered for the record when the mail is queued.</summary>
    public Guid? TemplateId { get; set; }
}

internal sealed record ComposePage(
    MailRecord Record,
    ComposeForm Form,
    RenderedMail? Rendered,
    IReadOnlyList<(Guid Id, string Name)> Templates,
    IReadOnlyList<(Guid Id, string Name)> Accounts,
    long MaxAttachmentBytes);
