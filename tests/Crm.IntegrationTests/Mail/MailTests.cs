using System.Net;
using System.Text.RegularExpressions;
using Crm.Clients.Contracts;
using Crm.Deals.Data;
using Crm.Mail.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Sending;
using Crm.Mail.Templates;
using Crm.SharedKernel.Access;
using Crm.SharedKernel.Templates;
using Crm.Testing;
using Crm.Testing.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Crm.IntegrationTests.Mail;

/// <summary>
/// Outbound mail against a real SMTP server on 127.0.0.1 (aiosmtpd): the queue, the send job's at-most-once
/// claim, failure and retry, the admin pages (encrypted password, template syntax, preview) and composing
/// from a card within the user's scope. The demo users read Russian (their profiles), so the pages answer in it.
/// </summary>
public sealed class MailTests(MailTests.App app) : IClassFixture<MailTests.App>
{
    public sealed class App : CrmApp, IAsyncLifetime
    {
        public SmtpSink Smtp { get; private set; } = null!;

        public Guid AccountId { get; private set; }

        async Task IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            Smtp = await SmtpSink.StartAsync();
            AccountId = (await MailData.AccountAsync(Services, Smtp.Port, isDefault: true)).Id;
        }

        async Task IAsyncLifetime.DisposeAsync()
        {
            await Smtp.DisposeAsync();
            await DisposeAsync();
        }
    }

    [Fact]
    public async Task A_queued_mail_arrives_with_the_template_rendered_for_the_deal_and_goes_on_its_timeline()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna, configure: d => d.Amount = 150_000m);
        var (subject, html, text) = await RenderAsync("Коммерческое предложение", deal.Id);

        var id = await QueueAsync(new MailToSend("buyer@client.example", subject, html, text, EntityKinds.Deal, deal.Id, "test:" + Guid.NewGuid()));
        await MailData.SendAsync(app.Services, id);

        var received = Assert.Single(app.Smtp.Received(), m => m.Subject == "Коммерческое предложение: " + deal.Title);
        Assert.Equal(["buyer@client.example"], received.To);
        Assert.Contains(deal.Title, received.Html, StringComparison.Ordinal);
        Assert.Contains(deal.Title, received.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<p>", received.Text, StringComparison.Ordinal);
        Assert.Contains(id.ToString("N"), received.MessageId, StringComparison.Ordinal);
        var mail = await MailData.ReloadAsync(app.Services, id);
        Assert.Equal(MailStatus.Sent, mail.Status);
        Assert.NotNull(mail.SentAt);
        var line = await app.WithScopeAsync(services => services.GetRequiredService<DealsDbContext>().Timeline.AsNoTracking()
            .SingleAsync(t => t.DealId == deal.Id && t.Kind == "mail"));
        Assert.Contains(subject, line.Subject, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_origin_key_queues_one_mail_and_a_repeated_job_sends_it_once()
    {
        var key = "scenario:" + Guid.NewGuid();
        var subject = "Once " + Guid.NewGuid().ToString("N")[..8];
        var mail = new MailToSend("once@client.example", subject, "<p>Hello</p>", null, null, null, key);

        var first = await QueueAsync(mail);
        var second = await QueueAsync(mail with { Subject = "Another subject" });
        await MailData.SendAsync(app.Services, first);
        await MailData.SendAsync(app.Services, first);

        Assert.Equal(first, second);
        Assert.Equal(1, await app.WithScopeAsync(services => services.GetRequiredService<MailDbContext>().Outgoing.CountAsync(m => m.OriginKey == key)));
        var received = Assert.Single(app.Smtp.Received(), m => m.Subject == subject);
        Assert.Equal("Hello", received.Text?.Trim());
    }

    [Fact]
    public async Task A_failed_mail_is_kept_with_its_error_and_sent_exactly_once_on_retry()
    {
        var port = SmtpSink.FreePort();
        var account = await MailData.AccountAsync(app.Services, port);
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var subject = "Retry " + Guid.NewGuid().ToString("N")[..8];
        var id = await QueueAsync(new MailToSend("late@client.example", subject, "<p>Later</p>", null, EntityKinds.Deal, deal.Id, "test:" + Guid.NewGuid(), account.Id));

        // Nothing listens on the port: the job fails (so Hangfire retries it) and the mail keeps the reason.
        await Assert.ThrowsAsync<InvalidOperationException>(() => MailData.SendAsync(app.Services, id));
        await Assert.ThrowsAsync<InvalidOperationException>(() => MailData.SendAsync(app.Services, id));
        var failed = await MailData.ReloadAsync(app.Services, id);
        Assert.Equal(MailStatus.Failed, failed.Status);
        Assert.False(string.IsNullOrWhiteSpace(failed.LastError));
        Assert.Equal(2, failed.Attempts);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var card = await anna.GetStringAsync("/deals/" + deal.Id);
        Assert.Contains($"/mail/{id}/retry", card, StringComparison.Ordinal);
        var lines = await app.WithScopeAsync(services => services.GetRequiredService<DealsDbContext>().Timeline.AsNoTracking()
            .Where(t => t.DealId == deal.Id && t.Kind == "mail").Select(t => t.Subject).ToListAsync());
        Assert.Single(lines);

        await using var server = await SmtpSink.StartAsync(port);
        var retry = await CrmApp.PostFormAsync(anna, "/deals/" + deal.Id, $"/mail/{id}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, retry.StatusCode);
        Assert.Equal(MailStatus.Queued, (await MailData.ReloadAsync(app.Services, id)).Status);
        await MailData.SendAsync(app.Services, id);
        await MailData.SendAsync(app.Services, id);

        Assert.Single(server.Received(), m => m.Subject == subject);
        Assert.Equal(MailStatus.Sent, (await MailData.ReloadAsync(app.Services, id)).Status);
    }

    [Fact]
    public async Task A_send_interrupted_by_a_dead_job_is_failed_by_the_sweep_and_sent_again_only_by_hand()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var subject = "Interrupted " + Guid.NewGuid().ToString("N")[..8];
        var id = await QueueAsync(new MailToSend("x@client.example", subject, "<p>x</p>", null, EntityKinds.Deal, deal.Id, "test:" + Guid.NewGuid()));

        // As if a job claimed it an hour ago and its process died before the server answered.
        await app.WithScopeAsync(services => services.GetRequiredService<MailDbContext>().Outgoing.Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, MailStatus.Sending).SetProperty(m => m.ClaimedAt, DateTimeOffset.UtcNow.AddHours(-1))));
        await app.WithScopeAsync(services => services.GetRequiredService<Crm.Mail.Jobs.MailJobs>().SweepAsync(CancellationToken.None));
        await MailData.SendAsync(app.Services, id);

        var failed = await MailData.ReloadAsync(app.Services, id);
        Assert.Equal(MailStatus.Failed, failed.Status);
        Assert.Equal(MailSweep.Interrupted, failed.LastError);
        Assert.DoesNotContain(app.Smtp.Received(), m => m.Subject == subject);

        Assert.True(await app.WithScopeAsync(services => services.GetRequiredService<MailQueue>().RetryAsync(id, CancellationToken.None)));
        await MailData.SendAsync(app.Services, id);
        Assert.Single(app.Smtp.Received(), m => m.Subject == subject);
    }

    [Fact]
    public async Task The_smtp_password_is_stored_encrypted_never_shown_and_kept_when_the_field_is_left_empty()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Personal " + Guid.NewGuid().ToString("N")[..6];
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Host"] = "smtp.example.com",
            ["Form.Port"] = "587",
            ["Form.Tls"] = "StartTls",
            ["Form.UserName"] = "anna@example.com",
            ["Form.Password"] = "S3cret-pass!",
            ["Form.FromAddress"] = "anna@example.com",
        };

        var created = await CrmApp.PostFormAsync(admin, "/admin/mail/accounts/new", "/admin/mail/accounts/new", fields);

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var account = await AccountAsync(name);
        Assert.NotNull(account.PasswordCipher);
        Assert.DoesNotContain("S3cret-pass!", account.PasswordCipher, StringComparison.Ordinal);
        Assert.Equal("S3cret-pass!", app.Services.GetRequiredService<SmtpPasswords>().Unprotect(account.PasswordCipher!));
        var edit = await admin.GetStringAsync($"/admin/mail/accounts/{account.Id}/edit");
        Assert.DoesNotContain("S3cret-pass!", edit, StringComparison.Ordinal);
        Assert.DoesNotContain(account.PasswordCipher!, edit, StringComparison.Ordinal);

        fields["Form.Password"] = "";
        fields["Form.Port"] = "2525";
        var saved = await CrmApp.PostFormAsync(admin, $"/admin/mail/accounts/{account.Id}/edit", $"/admin/mail/accounts/{account.Id}/edit", fields);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var kept = await AccountAsync(name);
        Assert.Equal(2525, kept.Port);
        Assert.Equal(account.PasswordCipher, kept.PasswordCipher);
    }

    [Fact]
    public async Task A_wrong_account_form_comes_back_with_each_message_next_to_its_field()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);

        var response = await CrmApp.PostFormAsync(admin, "/admin/mail/accounts/new", "/admin/mail/accounts/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "",
            ["Form.Host"] = "smtp.example.com",
            ["Form.Port"] = "70000",
            ["Form.Tls"] = "StartTls",
            ["Form.FromAddress"] = "not an address",
            ["Form.OwnerId"] = ivan.Id.ToString(),
            ["Form.IsDefault"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("Укажите название, понятное коллегам.", html, StringComparison.Ordinal);
        Assert.Contains("Укажите порт от 1 до 65535", html, StringComparison.Ordinal);
        Assert.Contains("— не адрес электронной почты.", html, StringComparison.Ordinal);
        Assert.Contains("По умолчанию может быть только общий ящик.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"smtp.example.com\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mail_admin_pages_are_for_admins_only()
    {
        var anna = await app.SignInAsync(CrmApp.Anna);

        foreach (var url in new[] { "/admin/mail/accounts", "/admin/mail/accounts/new", "/admin/mail/templates", "/admin/mail/templates/new", $"/admin/mail/accounts/{app.AccountId}/edit" })
        {
            var response = await anna.GetAsync(url);
            Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Redirect or HttpStatusCode.NotFound, url + ": " + response.StatusCode);
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                Assert.Contains("/account/denied", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task A_template_syntax_error_is_shown_next_to_the_field_and_nothing_is_saved()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var name = "Broken " + Guid.NewGuid().ToString("N")[..6];

        var response = await CrmApp.PostFormAsync(admin, "/admin/mail/templates/new", "/admin/mail/templates/new", new Dictionary<string, string>
        {
            ["Form.Name"] = name,
            ["Form.Subject"] = "Deal {{ deal.title }}",
            ["Form.HtmlBody"] = "<p>{% if deal.amount > 1 %}big</p>",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Matches(new Regex("id=\"Form_HtmlBody\"[^>]*is-invalid[^>]*>[^<]*</textarea>\\s*<span class=\"field-validation-error\">Ошибка в подстановках: ", RegexOptions.Singleline), html);
        Assert.DoesNotContain("id=\"Form_Subject\" name=\"Form.Subject\" value=\"Deal {{ deal.title }}\" class=\"form-control is-invalid", html, StringComparison.Ordinal);
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<MailDbContext>().Templates.AnyAsync(t => t.Name == name)));
    }

    [Fact]
    public async Task The_preview_renders_the_typed_template_for_a_deal_by_its_number()
    {
        var admin = await app.SignInAsync(CrmApp.Admin);
        var deal = await DealsData.CreateAsync(app, CrmApp.Ivan, configure: d => d.Amount = 99_000m);

        var response = await CrmApp.PostFormAsync(admin, "/admin/mail/templates/new", "/admin/mail/templates/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Preview",
            ["Form.Subject"] = "Сделка {{ deal.title }} для {{ owner.name }}",
            ["Form.HtmlBody"] = "<p>Сумма: {{ deal.amount }} {{ deal.currency }}</p>",
            ["Form.PreviewDeal"] = deal.DisplayNumber,
            ["Form.Preview"] = "true",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        var ivan = await DealsData.UserAsync(app, CrmApp.Ivan);
        Assert.Contains($"data-preview-subject>Сделка {deal.Title} для {ivan.FullName}<", html, StringComparison.Ordinal);
        Assert.Matches("data-preview-text>Сумма: 99[ ,.0]*000[^<]* RUB<", html);
        Assert.False(await app.WithScopeAsync(services => services.GetRequiredService<MailDbContext>().Templates.AnyAsync(t => t.Name == "Preview")));

        var unknown = await CrmApp.PostFormAsync(admin, "/admin/mail/templates/new", "/admin/mail/templates/new", new Dictionary<string, string>
        {
            ["Form.Name"] = "Preview",
            ["Form.Subject"] = "x",
            ["Form.HtmlBody"] = "y",
            ["Form.PreviewDeal"] = "1999-99999",
            ["Form.Preview"] = "true",
        });
        Assert.Contains("Сделки «1999-99999» нет.", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_manager_cannot_compose_or_retry_on_another_managers_deal_or_company()
    {
        var ivansDeal = await DealsData.CreateAsync(app, CrmApp.Ivan);
        var ivansCompany = await TasksData.ClientAsync(app.Services, CrmApp.Ivan, ClientKind.Company);
        var ivansMail = await QueueAsync(new MailToSend("x@client.example", "Ivan's", "<p>x</p>", null, EntityKinds.Deal, ivansDeal.Id, "test:" + Guid.NewGuid()));
        var anna = await app.SignInAsync(CrmApp.Anna);
        var annasDeal = await DealsData.CreateAsync(app, CrmApp.Anna);

        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/mail/compose?kind=deal&id={ivansDeal.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/mail/compose?kind=company&id={ivansCompany.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anna.GetAsync($"/mail/compose?kind=nonsense&id={ivansDeal.Id}")).StatusCode);
        var post = await CrmApp.PostFormAsync(anna, $"/mail/compose?kind=deal&id={annasDeal.Id}", "/mail/compose", new Dictionary<string, string>
        {
            ["Form.Kind"] = "deal",
            ["Form.Id"] = ivansDeal.Id.ToString(),
            ["Form.To"] = "x@client.example",
            ["Form.Subject"] = "Hi",
            ["Form.Body"] = "Text",
        });
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
        var retry = await CrmApp.PostFormAsync(anna, $"/mail/compose?kind=deal&id={annasDeal.Id}", $"/mail/{ivansMail}/retry", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Empty(await MailData.ForRecordAsync(app.Services, annasDeal.Id));
    }

    [Fact]
    public async Task Composing_on_a_company_queues_the_mail_with_its_attachment_and_a_double_post_queues_once()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var page = await anna.GetStringAsync($"/mail/compose?kind=company&id={company.Id}");
        var formKey = Regex.Match(page, "name=\"Form.FormKey\" value=\"([0-9a-f]+)\"").Groups[1].Value;
        var subject = "Offer " + Guid.NewGuid().ToString("N")[..6];

        MultipartFormDataContent Form()
        {
            var form = new MultipartFormDataContent
            {
                { new StringContent(CrmApp.AntiforgeryToken(page)), "__RequestVerificationToken" },
                { new StringContent("company"), "Form.Kind" },
                { new StringContent(company.Id.ToString()), "Form.Id" },
                { new StringContent(formKey), "Form.FormKey" },
                { new StringContent("buyer@client.example, boss@client.example"), "Form.To" },
                { new StringContent(subject), "Form.Subject" },
                { new StringContent("Добрый день!\nВысылаю предложение."), "Form.Body" },
            };
            var file = new ByteArrayContent(new byte[2048]);
            file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/pdf");
            form.Add(file, "attachments", "offer.pdf");
            return form;
        }

        var first = await anna.PostAsync("/mail/compose", Form());
        var second = await anna.PostAsync("/mail/compose", Form());

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal("/companies/" + company.Id, first.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Redirect, second.StatusCode);
        var mail = Assert.Single(await MailData.ForRecordAsync(app.Services, company.Id), m => m.Subject == subject);
        Assert.Equal(MailStatus.Queued, mail.Status);
        await MailData.SendAsync(app.Services, mail.Id);
        var received = Assert.Single(app.Smtp.Received(), m => m.Subject == subject);
        Assert.Equal(["buyer@client.example", "boss@client.example"], received.To);
        Assert.Equal("offer.pdf", Assert.Single(received.Attachments).Name);
        Assert.Equal(2048, received.Attachments[0].Size);
        Assert.Contains("Высылаю предложение.", received.Text, StringComparison.Ordinal);
        var card = await anna.GetStringAsync("/companies/" + company.Id);
        Assert.Contains(subject, card, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_big_attachments_and_a_bad_address_come_back_with_messages_next_to_the_fields()
    {
        var deal = await DealsData.CreateAsync(app, CrmApp.Anna);
        var anna = await app.SignInAsync(CrmApp.Anna);
        var page = await anna.GetStringAsync($"/mail/compose?kind=deal&id={deal.Id}");
        var form = new MultipartFormDataContent
        {
            { new StringContent(CrmApp.AntiforgeryToken(page)), "__RequestVerificationToken" },
            { new StringContent("deal"), "Form.Kind" },
            { new StringContent(deal.Id.ToString()), "Form.Id" },
            { new StringContent("nobody-at-all"), "Form.To" },
            { new StringContent("Big"), "Form.Subject" },
            { new StringContent("Text"), "Form.Body" },
        };
        form.Add(new ByteArrayContent(new byte[(int)MailQueue.MaxAttachmentBytes + 1]), "attachments", "huge.bin");

        var response = await anna.PostAsync("/mail/compose", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("«nobody-at-all» — не адрес электронной почты.", html, StringComparison.Ordinal);
        Assert.Contains("в одно письмо помещается не больше 10 МБ", html, StringComparison.Ordinal);
        Assert.Empty(await MailData.ForRecordAsync(app.Services, deal.Id));
    }

    [Fact]
    public async Task A_company_offers_its_name_email_and_owner_as_placeholders_and_the_compose_form_is_prefilled()
    {
        var company = await TasksData.ClientAsync(app.Services, CrmApp.Anna, ClientKind.Company);
        var anna = await DealsData.UserAsync(app, CrmApp.Anna);

        var model = await app.WithScopeAsync(services => services.GetServices<IPlaceholderSource>().Single(s => s.Kind == EntityKinds.Company).ModelAsync(company.Id, CancellationToken.None));

        Assert.NotNull(model);
        Assert.Equal(company.Name, model.Fields("client")!["name"]);
        Assert.Equal(anna.FullName, model.Fields("owner")!["name"]);
        var rendered = await TemplateText.RenderTextAsync("{{ client.name }} / {{ owner.email }}", model);
        Assert.Equal($"{company.Name} / {anna.Email}", rendered);
        if (model.Fields("client")!["email"] is string email)
        {
            var client = await app.SignInAsync(CrmApp.Anna);
            Assert.Contains($"value=\"{email}\"", await client.GetStringAsync($"/mail/compose?kind=company&id={company.Id}"), StringComparison.Ordinal);
        }
    }

    private async Task<(string Subject, string Html, string Text)> RenderAsync(string templateName, Guid dealId) =>
        await app.WithScopeAsync(async services =>
        {
            // As the Automation module will: the template through IMailTemplates, the deal's placeholders through its source.
            var template = (await services.GetRequiredService<IMailTemplates>().ListAsync(CancellationToken.None)).Single(t => t.Name == templateName);
            var model = await services.GetServices<IPlaceholderSource>().Single(s => s.Kind == EntityKinds.Deal).ModelAsync(dealId, CancellationToken.None);
            var rendered = await MailTemplateRenderer.RenderAsync(template.Subject, template.HtmlBody, template.TextBody, model!);
            return (rendered.Subject, rendered.HtmlBody, rendered.TextBody);
        });

    private Task<Guid> QueueAsync(MailToSend mail) =>
        app.WithScopeAsync(services => services.GetRequiredService<IMailQueue>().QueueAsync(mail, CancellationToken.None));

    private Task<MailAccount> AccountAsync(string name) =>
        app.WithScopeAsync(services => services.GetRequiredService<MailDbContext>().Accounts.AsNoTracking().SingleAsync(a => a.Name == name));
}
