using Crm.Deals.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Records;
using Crm.Mail.Templates;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Mail.Areas.Mail.Features.Templates;

/// <summary>
/// Mail templates: Liquid subject, HTML body and optional plain-text body, each checked for syntax on
/// save (the parser's message next to the field). "Preview" renders the typed template against a deal
/// (by number or id, within the admin's scope) without saving it.
/// </summary>
[Area("Mail")]
[Route("admin/mail/templates")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class TemplatesController(MailDbContext db, IDealDirectory deals, MailRecords records, IEnumerable<IPlaceholderSource> sources, TimeProvider clock, IStringLocalizer<MailStrings> strings) : Controller
{
    private IStringLocalizer<MailStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken) =>
        View(await db.Templates.AsNoTracking().OrderBy(t => t.Name).ToListAsync(cancellationToken));

    [HttpGet("new")]
    public IActionResult Create() => View("Edit", FormPage(null, new TemplateForm(), null));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] TemplateForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        if (form.Preview)
        {
            return View("Edit", FormPage(null, form, await PreviewAsync(form, cancellationToken)));
        }

        var template = new MailTemplate { Id = Guid.CreateVersion7() };
        if (!Apply(form, template))
        {
            return View("Edit", FormPage(null, form, null));
        }

        db.Templates.Add(template);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Template «{0}» saved.", template.Name].Value;
        return Redirect("/admin/mail/templates");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var template = await db.Templates.AsNoTracking().SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        return template is null ? NotFound() : View("Edit", FormPage(id, TemplateForm.From(template), null));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] TemplateForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var template = await db.Templates.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        if (form.Preview)
        {
            return View("Edit", FormPage(id, form, await PreviewAsync(form, cancellationToken)));
        }

        if (!Apply(form, template))
        {
            return View("Edit", FormPage(id, form, null));
        }

        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Template «{0}» saved.", template.Name].Value;
        return Redirect("/admin/mail/templates");
    }

    [HttpPost("{id:guid}/delete")]
    public async Task<IActionResult> Delete(Guid id, CancellationToken cancellationToken)
    {
        var template = await db.Templates.SingleOrDefaultAsync(t => t.Id == id, cancellationToken);
        if (template is null)
        {
            return NotFound();
        }

        // Queued mail keeps its rendered text, so removing a template changes no mail already written.
        db.Templates.Remove(template);
        await db.SaveChangesAsync(cancellationToken);
        TempData["toast"] = L["Template «{0}» deleted.", template.Name].Value;
        return Redirect("/admin/mail/templates");
    }

    private bool Apply(TemplateForm form, MailTemplate template)
    {
        var name = form.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Error("Name", L["Enter the template's name."]);
        }
        else if (name.Length > MailTemplate.NameLength)
        {
            Error("Name", L["At most {0} characters.", MailTemplate.NameLength]);
        }

        var subject = form.Subject?.Trim() ?? "";
        if (subject.Length == 0)
        {
            Error("Subject", L["Enter the subject."]);
        }
        else if (subject.Length > MailTemplate.SubjectLength)
        {
            Error("Subject", L["At most {0} characters.", MailTemplate.SubjectLength]);
        }
        else
        {
            CheckSyntax("Subject", subject);
        }

        var html = form.HtmlBody ?? "";
        if (html.Trim().Length == 0)
        {
            Error("HtmlBody", L["Enter the text of the mail."]);
        }
        else if (html.Length > MailTemplate.BodyLength)
        {
            Error("HtmlBody", L["At most {0} characters.", MailTemplate.BodyLength]);
        }
        else
        {
            CheckSyntax("HtmlBody", html);
        }

        var text = string.IsNullOrWhiteSpace(form.TextBody) ? null : form.TextBody;
        if (text?.Length > MailTemplate.BodyLength)
        {
            Error("TextBody", L["At most {0} characters.", MailTemplate.BodyLength]);
        }
        else if (text is not null)
        {
            CheckSyntax("TextBody", text);
        }

        if (!ModelState.IsValid)
        {
            return false;
        }

        template.Name = name;
        template.Subject = subject;
        template.HtmlBody = html;
        template.TextBody = text;
        template.UpdatedAt = clock.GetUtcNow();
        return true;
    }

    /// <summary>The typed template rendered for the chosen deal; syntax errors and an unknown deal go next to their fields.</summary>
    private async Task<RenderedMail?> PreviewAsync(TemplateForm form, CancellationToken cancellationToken)
    {
        CheckSyntax("Subject", form.Subject ?? "");
        CheckSyntax("HtmlBody", form.HtmlBody ?? "");
        CheckSyntax("TextBody", form.TextBody ?? "");
        var typed = form.PreviewDeal?.Trim() ?? "";
        var deal = typed.Length == 0 ? null
            : Guid.TryParse(typed, out var id) ? await deals.FindAsync(id, cancellationToken)
            : await deals.FindByNumberAsync(typed.TrimStart('№').Trim(), cancellationToken);
        if (deal is null)
        {
            Error("PreviewDeal", typed.Length == 0 ? L["Enter a deal number, e.g. 2026-00001."] : L["No deal “{0}”.", typed]);
        }

        if (!ModelState.IsValid || deal is null)
        {
            return null;
        }

        var model = await records.ModelAsync(EntityKinds.Deal, deal.Id, cancellationToken);
        return await MailTemplateRenderer.RenderAsync(form.Subject ?? "", form.HtmlBody ?? "", form.TextBody, model);
    }

    private void CheckSyntax(string field, string source)
    {
        if (!TemplateText.TryParse(source, out _, out var error))
        {
            Error(field, L["The placeholders do not parse: {0}", error ?? ""]);
        }
    }

    private TemplateFormPage FormPage(Guid? id, TemplateForm form, RenderedMail? preview) =>
        new(id, form, preview, sources.FirstOrDefault(s => s.Kind == EntityKinds.Deal)?.Names ?? []);

    private void Error(string field, string message) => ModelState.AddModelError("Form." + field, message);
}

internal sealed class TemplateForm
{
    public string? Name { get; set; }

    public string? Subject { get; set; }

    public string? HtmlBody { get; set; }

    public string? TextBody { get; set; }

    /// <summary>The deal (number or id) the preview renders for.</summary>
    public string? PreviewDeal { get; set; }

    /// <summary>Set by the Preview button: render, do not save.</summary>
    public bool Preview { get; set; }

    public static TemplateForm From(MailTemplate template) => new()
    {
        Name = template.Name,
        Subject = template.Subject,
        HtmlBody = template.HtmlBody,
        TextBody = template.TextBody,
    };
}

internal sealed record TemplateFormPage(Guid? Id, TemplateForm Form, RenderedMail? Preview, IReadOnlyList<string> Placeholders)
{
    public bool IsNew => Id is null;

    public string Action => IsNew ? "/admin/mail/templates/new" : $"/admin/mail/templates/{Id}/edit";
}
