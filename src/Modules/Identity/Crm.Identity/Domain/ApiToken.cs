using System.Security.Cryptography;
using System.Text;

namespace Crm.Identity.Domain;

/// <summary>
/// A personal bearer token for the REST API. Only its SHA-256 hash is stored: a database leak does not
/// leak usable tokens. The plain token is shown once, when it is issued.
/// </summary>
internal sealed class ApiToken
{
    public const string Prefix = "crm_";

    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public string Name { get; set; } = "";

    public string TokenHash { get; set; } = "";

    /// <summary>The first characters of the token, to tell tokens apart on the profile page.</summary>
    public string Hint { get; set; } = "";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public static (ApiToken Token, string PlainText) Issue(Guid userId, string name, DateTimeOffset now)
    {
        var plain = Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = new ApiToken
        {
            Id = Guid.CreateVersion7(),
            UserId = userId,
            Name = name,
            TokenHash = Hash(plain),
            Hint = plain[..(Prefix.Length + 6)],
            CreatedAt = now,
        };
        return (token, plain);
    }

    public static string Hash(string plainText) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(plainText)));
}
