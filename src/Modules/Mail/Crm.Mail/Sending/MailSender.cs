using System.Net;
using System.Net.Mail;
using Crm.Mail.Domain;

namespace Crm.Mail.Sending;

/// <summary>Where a mail goes out: the account's server, port, TLS mode and credentials (the password already decrypted).</summary>
internal sealed record SmtpServer(string Host, int Port, MailTlsMode Tls, string? UserName, string? Password);

/// <summary>
/// Hands one message to an SMTP server. The module's own seam around the sending library, so the library
/// can change (System.Net.Mail today: MailKit is not available here) without the queue noticing. Throws on
/// any failure; the caller records it.
/// </summary>
internal interface IMailSender
{
    Task SendAsync(SmtpServer server, MailMessage message, CancellationToken cancellationToken);
}

/// <summary>
/// <see cref="IMailSender"/> on System.Net.Mail.SmtpClient: plain SMTP or STARTTLS (EnableSsl); it has no
/// implicit TLS (port 465), which is why accounts offer only these two modes. A client per message:
/// SmtpClient is not thread-safe and keeps no useful pool.
/// </summary>
internal sealed class SmtpMailSender : IMailSender
{
    /// <summary>Long enough for a slow server and a 10 MB attachment; a hung server must not hold a worker for minutes.</summary>
    public const int TimeoutMilliseconds = 60_000;

    public async Task SendAsync(SmtpServer server, MailMessage message, CancellationToken cancellationToken)
    {
        using var client = new SmtpClient(server.Host, server.Port)
        {
            EnableSsl = server.Tls == MailTlsMode.StartTls,
            DeliveryMethod = SmtpDeliveryMethod.Network,
            Timeout = TimeoutMilliseconds,
            UseDefaultCredentials = false,
        };
        if (!string.IsNullOrEmpty(server.UserName))
        {
            client.Credentials = new NetworkCredential(server.UserName, server.Password ?? "");
        }

        await client.SendMailAsync(message, cancellationToken);
    }
}
