using Microsoft.AspNetCore.DataProtection;

namespace Crm.Mail.Sending;

/// <summary>
/// SMTP passwords at rest: protected with ASP.NET Data Protection (the app's key ring in {data}/keys) under
/// the module's own purpose, so the column holds cipher text that no other purpose can read.
/// </summary>
internal sealed class SmtpPasswords(IDataProtectionProvider provider)
{
    public const string Purpose = "Crm.Mail.SmtpPassword";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string password) => protector.Protect(password);

    /// <summary>The password, or null when the cipher text cannot be read (the key ring was lost): the send fails with a clear message.</summary>
    public string? Unprotect(string cipher)
    {
        try
        {
            return protector.Unprotect(cipher);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
    }
}
