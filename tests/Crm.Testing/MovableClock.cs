namespace Crm.Testing;

/// <summary>
/// A clock tests move forward (stalled deals, overdue tasks): register it in place of
/// <see cref="TimeProvider.System"/> through a fixture's ConfigureServices. Starts at the real time.
/// </summary>
public sealed class MovableClock : TimeProvider
{
    private TimeSpan _offset;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public void Reset() => _offset = TimeSpan.Zero;
}
