using System.Security.Cryptography;
using System.Text;
using Crm.Tasks.Data;
using Crm.Tasks.Domain;
using Microsoft.EntityFrameworkCore;

namespace Crm.Tasks.Feed;

/// <summary>
/// The users' private iCalendar feed tokens: 32 random bytes in base64url, shown once; only their SHA-256
/// (hex) is kept, so a copy of the database opens no calendar. A user has at most one: making a new one
/// replaces the row, and the old URL stops working at once.
/// </summary>
internal sealed class CalendarFeeds(TasksDbContext db, TimeProvider clock)
{
    public const int TokenBytes = 32;

    /// <summary>When the user's current feed was made; null when they have none.</summary>
    public Task<DateTimeOffset?> CreatedAtAsync(Guid userId, CancellationToken cancellationToken) =>
        db.CalendarFeeds.AsNoTracking().Where(f => f.UserId == userId).Select(f => (DateTimeOffset?)f.CreatedAt).SingleOrDefaultAsync(cancellationToken);

    /// <summary>A new token for the user (replacing any earlier one); the only time it exists in the clear.</summary>
    public async Task<string> CreateAsync(Guid userId, CancellationToken cancellationToken)
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var hash = Hash(token);
        var now = clock.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO tasks.calendar_feeds (user_id, token_hash, created_at) VALUES ({userId}, {hash}, {now}) ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = EXCLUDED.created_at",
            cancellationToken);
        return token;
    }

    /// <summary>Removes the user's feed: its URL answers 404 from now on. False when there was none.</summary>
    public async Task<bool> RevokeAsync(Guid userId, CancellationToken cancellationToken) =>
        await db.CalendarFeeds.Where(f => f.UserId == userId).ExecuteDeleteAsync(cancellationToken) > 0;

    /// <summary>The user whose feed the token opens; null for an unknown, revoked or malformed token.</summary>
    public async Task<Guid?> FindUserAsync(string token, CancellationToken cancellationToken)
    {
        // A real token is 43 base64url characters; anything else is not worth a query.
        if (token.Length != 43 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return null;
        }

        var hash = Hash(token);
        return await db.CalendarFeeds.AsNoTracking().Where(f => f.TokenHash == hash).Select(f => (Guid?)f.UserId).SingleOrDefaultAsync(cancellationToken);
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
