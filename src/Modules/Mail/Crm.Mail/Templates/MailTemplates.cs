using Crm.Mail.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.SharedKernel.Templates;
using Microsoft.EntityFrameworkCore;

namespace Crm.Mail.Templates;

/// <summary>A template rendered for one record: what a mail about it would say.</summary>
internal sealed record RenderedMail(string Subject, string HtmlBody, string TextBody);

/// <summary>The admin's templates for other modules (a scenario action), by name.</summary>
internal sealed class MailTemplateStore(MailDbContext db) : IMailTemplates
{
    public async Task<IReadOnlyList<MailTemplateText>> ListAsync(CancellationToken cancellationToken) =>
        await db.Templates.AsNoTracking().OrderBy(t => t.Name)
            .Select(t => new MailTemplateText(t.Id, t.Name, t.Subject, t.HtmlBody, t.TextBody))
            .ToListAsync(cancellationToken);

    public async Task<MailTemplateText?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Templates.AsNoTracking().Where(t => t.Id == id)
            .Select(t => new MailTemplateText(t.Id, t.Name, t.Subject, t.HtmlBody, t.TextBody))
            .SingleOrDefaultAsync(cancellationToken);
}

/// <summary>
/// Renders a template's three parts with the one template language (<see cref="TemplateText"/>): the
/// subject and the plain-text part as text, the HTML part with values HTML-encoded. No plain-text part: it is
/// derived from the rendered HTML. A part that does not parse (saved before a check existed) renders as typed.
/// </summary>
internal static class MailTemplateRenderer
{
    public static async Task<RenderedMail> RenderAsync(string subject, string html, string? text, PlaceholderModel model)
    {
        var renderedSubject = await TemplateText.RenderTextAsync(subject, model);
        var renderedHtml = TemplateText.TryParse(html, out var htmlTemplate, out _) ? await TemplateText.RenderHtmlAsync(htmlTemplate, model) : html;
        var renderedText = string.IsNullOrWhiteSpace(text) ? MailText.FromHtml(renderedHtml) : await TemplateText.RenderTextAsync(text, model);

        // A subject is one line: a template's line break would be refused by the mail library.
        return new RenderedMail(renderedSubject.ReplaceLineEndings(" ").Trim(), renderedHtml, renderedText);
    }

    public static Task<RenderedMail> RenderAsync(MailTemplate template, PlaceholderModel model) =>
        RenderAsync(template.Subject, template.HtmlBody, template.TextBody, model);
}
