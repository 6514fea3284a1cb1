using Crm.Automation.Domain;
using Microsoft.AspNetCore.DataProtection;

namespace Crm.Automation.Running;

/// <summary>
/// Webhook signing secrets at rest: protected with ASP.NET Data Protection under the module's own purpose (as the
/// Mail module keeps SMTP passwords), so the scenario's actions and the runs' copies hold cipher text only. The
/// plain secret exists only as typed (the form, the API) and when a request is signed.
/// </summary>
internal sealed class WebhookSecrets(IDataProtectionProvider provider)
{
    public const string Purpose = "Crm.Automation.WebhookSecret";

    private readonly IDataProtector protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => protector.Protect(secret);

    /// <summary>The secret, or null when the cipher text cannot be read (the key ring was lost): the call fails with a clear message.</summary>
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

    /// <summary>
    /// The checked actions as they are stored: a secret typed is protected; an empty one keeps the stored secret of
    /// the webhook to the same address (else of the webhook at the same place), since the form never shows it
    /// back; <see cref="ScenarioAction.RemoveSecret"/> drops it. No other kind of action keeps a secret.
    /// </summary>
    public List<ScenarioAction> Seal(IReadOnlyList<ScenarioAction> typed, IReadOnlyList<ScenarioAction> stored) =>
        typed.Select((action, position) => action with
        {
            Secret = null,
            RemoveSecret = false,
            SecretCipher = action.Kind != ActionKinds.Webhook || action.RemoveSecret ? null
                : !string.IsNullOrEmpty(action.Secret) ? Protect(action.Secret)
                : StoredCipher(action, position, stored),
        }).ToList();

    private string? StoredCipher(ScenarioAction action, int position, IReadOnlyList<ScenarioAction> stored)
    {
        var same = stored.FirstOrDefault(s => s.Kind == ActionKinds.Webhook && HasSecret(s) && string.Equals(s.Url, action.Url, StringComparison.Ordinal))
            ?? (position < stored.Count && stored[position] is { Kind: ActionKinds.Webhook } there && HasSecret(there) ? there : null);
        // A scenario saved before secrets were protected holds the plain one: protected now.
        return same is null ? null : same.SecretCipher ?? Protect(same.Secret!);
    }

    private static bool HasSecret(ScenarioAction action) => action.SecretCipher is not null || !string.IsNullOrEmpty(action.Secret);
}
