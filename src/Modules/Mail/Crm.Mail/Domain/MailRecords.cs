namespace Crm.Mail.Domain;

/// <summary>
/// How the mail server is reached over TLS. Only these two: System.Net.Mail.SmtpClient (MailKit is not
/// available here) speaks TLS only through STARTTLS (EnableSsl); implicit TLS on port 465 it cannot do
/// (docs/adr/0016-outbound-mail.md). Servers offer STARTTLS on 587 for that reason.
/// </summary>
internal enum MailTlsMode
{
    None,
    StartTls,
}

/// <summary>
/// An SMTP account mail is sent from: shared by the company (<see cref="OwnerId"/> null; one of them may be
/// the default) or personal (a user's own mailbox). The password is kept only as Data Protection cipher text.
/// </summary>
internal sealed class MailAccount
{
    public const int NameLength = 200;
    public const int HostLength = 255;
    public const int AddressLength = 320;

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Host { get; set; } = "";

    public int Port { get; set; } = 587;

    public MailTlsMode Tls { get; set; } = MailTlsMode.StartTls;

    public string? UserName { get; set; }

    /// <summary>The password protected with the purpose "Crm.Mail.SmtpPassword"; null: no authentication.</summary>
    public string? PasswordCipher { get; set; }

    public string FromAddress { get; set; } = "";

    public string? FromName { get; set; }

    /// <summary>Null: a shared (company) account; else the user whose personal account it is.</summary>
    public Guid? OwnerId { get; set; }

    /// <summary>The shared account used when none is chosen (a scenario's mail, a compose form's first choice).</summary>
    public bool IsDefault { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A mail template: Liquid subject and HTML body, and an optional plain-text body (derived from the HTML when empty).</summary>
internal sealed class MailTemplate
{
    public const int NameLength = 200;
    public const int SubjectLength = 500;
    public const int BodyLength = 100_000;

    public Guid Id { get; set; }

    public string Name { get; set; } = "";

    public string Subject { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public string? TextBody { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal enum MailStatus
{
    Queued,
    Sending,
    Sent,
    Failed,
}

/// <summary>
/// A mail in the outgoing queue and, once sent, its record. The row is the truth: the Hangfire job that
/// sends it carries only its id, claims it (Queued/Failed → Sending) before talking to the server, and a job
/// that finds it Sent does nothing, so no retry sends it twice (docs/adr/0016-outbound-mail.md).
/// </summary>
internal sealed class OutgoingMail
{
    public const int AddressesLength = 2000;
    public const int SubjectLength = 500;
    public const int OriginKeyLength = 300;
    public const int ErrorLength = 2000;

    public Guid Id { get; set; }

    /// <summary>Null: the default shared account when sent.</summary>
    public Guid? AccountId { get; set; }

    /// <summary>One or more addresses, comma-separated.</summary>
    public string To { get; set; } = "";

    public string? Cc { get; set; }

    public string Subject { get; set; } = "";

    public string HtmlBody { get; set; } = "";

    public string TextBody { get; set; } = "";

    /// <summary>"deal", "company", "contact", "lead", or null for a mail about no record.</summary>
    public string? RecordKind { get; set; }

    public Guid? RecordId { get; set; }

    /// <summary>What caused the mail (a scenario action's key, a compose form's key); unique when set.</summary>
    public string? OriginKey { get; set; }

    public MailStatus Status { get; set; }

    /// <summary>Sending attempts so far (each claim counts one).</summary>
    public int Attempts { get; set; }

    public string? LastError { get; set; }

    /// <summary>True once the record's timeline has a "not sent" line for this failure, so retries do not repeat it.</summary>
    public bool FailureNoted { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When a send job was last enqueued: the sweep enqueues again a queued mail whose job was lost.</summary>
    public DateTimeOffset EnqueuedAt { get; set; }

    /// <summary>When a job claimed it for sending: a claim far older than any send means the job died mid-send.</summary>
    public DateTimeOffset? ClaimedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public Guid? CreatedBy { get; set; }

    public string CreatedByName { get; set; } = "";

    /// <summary>The interface language at queueing: the timeline lines the job writes later are in it.</summary>
    public string Culture { get; set; } = "ru";

    public List<OutgoingAttachment> Attachments { get; set; } = [];
}

/// <summary>
/// A file sent with a mail, kept in the database (bytea) with it: committed in the same transaction, so a
/// queued mail never points to a missing file, and a retry sends the same bytes (docs/adr/0016).
/// </summary>
internal sealed class OutgoingAttachment
{
    public const int FileNameLength = 255;

    public Guid Id { get; set; }

    public Guid MailId { get; set; }

    public string FileName { get; set; } = "";

    public string ContentType { get; set; } = "application/octet-stream";

    public byte[] Content { get; set; } = [];
}
