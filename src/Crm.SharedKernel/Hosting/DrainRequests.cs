namespace Crm.SharedKernel.Hosting;

/// <summary>
/// Coalesces the "please drain" requests of one outbox in this process: a burst of changes (an import, 8 API
/// clients moving deals) needs one drain job, not one per change. <see cref="ShouldAsk"/> is true unless this
/// process asked moments ago and that drain has not started yet; the drain calls <see cref="Started"/> as it
/// starts, before it reads, so a trigger committed after that asks again. When the drain ran in another
/// instance the mark is never cleared here, so it expires after <see cref="Patience"/>. Each outbox keeps one
/// static instance. Missing a request is never a loss: the outbox's every-minute run drains what is left.
/// </summary>
public sealed class DrainRequests
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(3);

    /// <summary>When this process last asked for a drain that has not started yet (Environment.TickCount64), or 0.</summary>
    private long _askedAt;

    public bool ShouldAsk()
    {
        var now = Environment.TickCount64;
        var asked = Interlocked.Read(ref _askedAt);
        if (asked != 0 && now - asked < Patience.TotalMilliseconds)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _askedAt, now, asked) == asked;
    }

    public void Started() => Interlocked.Exchange(ref _askedAt, 0);
}
