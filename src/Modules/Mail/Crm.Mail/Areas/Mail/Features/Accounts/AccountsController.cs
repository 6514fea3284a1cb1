using System.Globalization;
using System.Net.Mail;
using Crm.Identity.Contracts;
using Crm.Mail.Data;
using Crm.Mail.Domain;
using Crm.Mail.Sending;
using Crm.SharedKernel.Access;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Crm.Mail.Areas.Mail.Features.Accounts;

/// <summary>
/// SMTP accounts mail is sent from: shared ones (one may be the default) and users' personal ones. The
/// password is write-only: protected before it is stored, never shown back; an empty field on edit keeps it.
/// </summary>
[Area("Mail")]
[Route("admin/mail/accounts")]
[Authorize(Roles = BuiltInRoles.Admin)]
internal sealed class AccountsController(MailDbContext db, SmtpPasswords passwords, IUserDirectory users, TimeProvider clock, IStringLocalizer<MailStrings> strings) : Controller
{
    private IStringLocalizer<MailStrings> L => strings;

    [HttpGet("")]
    public async Task<IActionResult> Index(CancellationToken cancellationToken)
    {
        var accounts = await db.Accounts.AsNoTracking().OrderByDescending(a => a.IsDefault).ThenBy(a => a.OwnerId != null).ThenBy(a => a.Name).ToListAsync(cancellationToken);
        var owners = await users.GetUsersAsync(accounts.Where(a => a.OwnerId != null).Select(a => a.OwnerId!.Value).Distinct(), cancellationToken);
        return View(new AccountListPage(accounts, owners.ToDictionary(p => p.Key, p => p.Value.FullName)));
    }

    [HttpGet("new")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken) =>
        View("Edit", await FormPageAsync(null, new AccountForm(), false, cancellationToken));

    [HttpPost("new")]
    public async Task<IActionResult> Create([Bind(Prefix = "Form")] AccountForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var account = new MailAccount { Id = Guid.CreateVersion7(), CreatedAt = clock.GetUtcNow() };
        if (!await ApplyAsync(form, account, isNew: true, cancellationToken))
        {
            return View("Edit", await FormPageAsync(null, form, false, cancellationToken));
        }

        db.Accounts.Add(account);
        await SaveAsync(account, cancellationToken);
        TempData["toast"] = L["Mail account «{0}» added.", account.Name].Value;
        return Redirect("/admin/mail/accounts");
    }

    [HttpGet("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, CancellationToken cancellationToken)
    {
        var account = await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        return account is null ? NotFound() : View("Edit", await FormPageAsync(id, AccountForm.From(account), account.PasswordCipher is not null, cancellationToken));
    }

    [HttpPost("{id:guid}/edit")]
    public async Task<IActionResult> Edit(Guid id, [Bind(Prefix = "Form")] AccountForm form, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var account = await db.Accounts.SingleOrDefaultAsync(a => a.Id == id, cancellationToken);
        if (account is null)
        {
            return NotFound();
        }

        if (!await ApplyAsync(form, account, isNew: false, cancellationToken))
        {
            return View("Edit", await FormPageAsync(id, form, account.PasswordCipher is not null, cancellationToken));
        }

        await SaveAsync(account, cancellationToken);
        TempData["toast"] = L["Mail account «{0}» saved.", account.Name].Value;
        return Redirect("/admin/mail/accounts");
    }

    /// <summary>Checks the form and, when it is right, copies it onto the account. Each message goes next to its field.</summary>
    private async Task<bool> ApplyAsync(AccountForm form, MailAccount account, bool isNew, CancellationToken cancellationToken)
    {
        var name = form.Name?.Trim() ?? "";
        if (name.Length == 0)
        {
            Error("Name", L["Enter a name people will recognise."]);
        }
        else if (name.Length > MailAccount.NameLength)
        {
            Error("Name", L["At most {0} characters.", MailAccount.NameLength]);
        }

        var host = form.Host?.Trim() ?? "";
        if (host.Length == 0)
        {
            Error("Host", L["Enter the SMTP server, e.g. smtp.yandex.ru."]);
        }
        else if (host.Length > MailAccount.HostLength || Uri.CheckHostName(host) == UriHostNameType.Unknown)
        {
            Error("Host", L["“{0}” is not a server name or address.", host]);
        }

        if (!int.TryParse(form.Port, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            Error("Port", L["Enter a port from 1 to 65535 (usually 587 with STARTTLS, 25 without TLS)."]);
        }

        if (!Enum.TryParse<MailTlsMode>(form.Tls, out var tls) || !Enum.IsDefined(tls))
        {
            Error("Tls", L["Choose how the connection is protected."]);
        }

        var from = form.FromAddress?.Trim() ?? "";
        if (from.Length == 0)
        {
            Error("FromAddress", L["Enter the address mail is sent from."]);
        }
        else if (from.Length > MailAccount.AddressLength || !MailAddress.TryCreate(from, out var parsed) || parsed.DisplayName.Length > 0)
        {
            Error("FromAddress", L["“{0}” is not an e-mail address.", from]);
        }

        var fromName = string.IsNullOrWhiteSpace(form.FromName) ? null : form.FromName.Trim();
        if (fromName?.Length > MailAccount.NameLength)
        {
            Error("FromName", L["At most {0} characters.", MailAccount.NameLength]);
        }

        var userName = string.IsNullOrWhiteSpace(form.UserName) ? null : form.UserName.Trim();
        if (userName?.Length > MailAccount.AddressLength)
        {
            Error("UserName", L["At most {0} characters.", MailAccount.AddressLength]);
        }

        Guid? ownerId = null;
        if (!string.IsNullOrEmpty(form.OwnerId))
        {
            if (Guid.TryParse(form.OwnerId, out var owner) && await users.FindUserAsync(owner, cancellationToken) is { IsActive: true })
            {
                ownerId = owner;
            }
            else
            {
                Error("OwnerId", L["Choose an active user, or make the account shared."]);
            }
        }

        if (form.IsDefault && !string.IsNullOrEmpty(form.OwnerId))
        {
            Error("IsDefault", L["Only a shared account can be the default."]);
        }

        if (!ModelState.IsValid)
        {
            return false;
        }

        account.Name = name;
        account.Host = host;
        account.Port = port;
        account.Tls = tls;
        account.UserName = userName;
        account.FromAddress = from;
        account.FromName = fromName;
        account.OwnerId = ownerId;
        account.IsDefault = form.IsDefault;
        if (!string.IsNullOrEmpty(form.Password))
        {
            account.PasswordCipher = passwords.Protect(form.Password);
        }
        else if (isNew || userName is null)
        {
            // No user name: the server is used without signing in, and a kept password would only mislead.
            account.PasswordCipher = null;
        }

        return true;
    }

    /// <summary>Saves, and when this account became the default, takes the mark from the previous one in the same transaction.</summary>
    private async Task SaveAsync(MailAccount account, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (account.IsDefault)
        {
            await db.Accounts.Where(a => a.IsDefault && a.Id != account.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.IsDefault, false), cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<AccountFormPage> FormPageAsync(Guid? id, AccountForm form, bool hasPassword, CancellationToken cancellationToken)
    {
        form.Password = null;
        var people = await users.GetActiveUsersAsync(null, cancellationToken);
        return new AccountFormPage(id, form, hasPassword, people.OrderBy(u => u.FullName).Select(u => (u.Id, u.FullName)).ToList());
    }

    private void Error(string field, string message) => ModelState.AddModelError("Form." + field, message);
}

/// <summary>The account form as typed: strings, so a wrong value comes back with its message, not a binding error.</summary>
internal sealed class AccountForm
{
    public string? Name { get; set; }

    public string? Host { get; set; }

    public string? Port { get; set; } = "587";

    public string? Tls { get; set; } = nameof(MailTlsMode.StartTls);

    public string? UserName { get; set; }

    /// <summary>Write-only: never filled back into the page.</summary>
    public string? Password { get; set; }

    public string? FromAddress { get; set; }

    public string? FromName { get; set; }

    /// <summary>Empty: shared (company) account.</summary>
    public string? OwnerId { get; set; }

    public bool IsDefault { get; set; }

    public static AccountForm From(MailAccount account) => new()
    {
        Name = account.Name,
        Host = account.Host,
        Port = account.Port.ToString(CultureInfo.InvariantCulture),
        Tls = account.Tls.ToString(),
        UserName = account.UserName,
        FromAddress = account.FromAddress,
        FromName = account.FromName,
        OwnerId = account.OwnerId?.ToString(),
        IsDefault = account.IsDefault,
    };
}

internal sealed record AccountListPage(IReadOnlyList<MailAccount> Accounts, IReadOnlyDictionary<Guid, string> OwnerNames);

internal sealed record AccountFormPage(Guid? Id, AccountForm Form, bool HasPassword, IReadOnlyList<(Guid Id, string Name)> Users)
{
    public bool IsNew => Id is null;

    public string Action => IsNew ? "/admin/mail/accounts/new" : $"/admin/mail/accounts/{Id}/edit";
}
