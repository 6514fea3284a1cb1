using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.SharedKernel.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace Crm.Mail.Seeding;

/// <summary>
/// The demo company's shared mailbox and two templates in Russian. The account points to localhost:25 with
/// no password: on a machine without a mail server sending fails visibly, and the mail waits on the card
/// with its error and a Retry button (point the account to a real server, or start one, and retry).
/// Crm:Mail:DemoHost / DemoPort point it elsewhere (docker-compose: its mail catcher, mail:1025).
/// </summary>
internal sealed class MailDemoSeeder(MailDbContext db, IConfiguration configuration, TimeProvider clock) : IDemoDataSeeder
{
    public int Order => 40;

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (!await db.Accounts.AnyAsync(cancellationToken))
        {
            db.Accounts.Add(new MailAccount
            {
                Id = Guid.CreateVersion7(),
                Name = "Отдел продаж (общий ящик)",
                Host = configuration["Crm:Mail:DemoHost"] is { Length: > 0 } host ? host : "localhost",
                Port = configuration.GetValue("Crm:Mail:DemoPort", 25),
                Tls = MailTlsMode.None,
                FromAddress = "sales@crm.local",
                FromName = "Отдел продаж",
                IsDefault = true,
                CreatedAt = now,
            });
        }

        if (!await db.Templates.AnyAsync(cancellationToken))
        {
            db.Templates.Add(new MailTemplate
            {
                Id = Guid.CreateVersion7(),
                Name = "Коммерческое предложение",
                Subject = "Коммерческое предложение: {{ deal.title }}",
                HtmlBody = """
                    <p>Здравствуйте{% if contact.name != blank %}, {{ contact.name }}{% endif %}!</p>
                    <p>Благодарим за интерес к нашим решениям. По сделке «{{ deal.title }}» (№ {{ deal.number }}) предлагаем условия
                    на сумму <strong>{{ deal.amount }} {{ deal.currency }}</strong>.</p>
                    <p>Предложение действует 14 дней. Готовы ответить на вопросы и обсудить детали в удобное время.</p>
                    <p>С уважением,<br>{{ owner.name }}<br>{{ owner.email }}</p>
                    """,
                UpdatedAt = now,
            });
            db.Templates.Add(new MailTemplate
            {
                Id = Guid.CreateVersion7(),
                Name = "Напоминание об оплате",
                Subject = "Напоминание об оплате{% if deal.number != blank %} по сделке № {{ deal.number }}{% endif %}",
                HtmlBody = """
                    <p>Здравствуйте!</p>
                    <p>Напоминаем, что {% if deal.title != blank %}по сделке «{{ deal.title }}» {% endif %}ожидается оплата{% if deal.amount %}
                    в размере <strong>{{ deal.amount }} {{ deal.currency }}</strong>{% endif %}.</p>
                    <p>Если оплата уже произведена, пожалуйста, пришлите копию платёжного поручения — и спасибо!</p>
                    <p>С уважением,<br>{{ owner.name }}</p>
                    """,
                TextBody = """
                    Здравствуйте!

                    Напоминаем, что {% if deal.title != blank %}по сделке «{{ deal.title }}» {% endif %}ожидается оплата{% if deal.amount %} в размере {{ deal.amount }} {{ deal.currency }}{% endif %}.
                    Если оплата уже произведена, пожалуйста, пришлите копию платёжного поручения — и спасибо!

                    С уважением,
                    {{ owner.name }}
                    """,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
