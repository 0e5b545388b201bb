namespace Syndication.Hosting;

/// <summary>
/// The system clock, moved to start at <c>Syndication__Now</c> and running on from there: a process started by a test
/// reads the test's clock, and a past day can be replayed against stored feeds. Timers and timeouts still run on real
/// time, since they wait on real sockets.
/// </summary>
public sealed class ShiftedClock(TimeSpan shift) : TimeProvider
{
    public TimeSpan Shift { get; } = shift;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;

    /// <summary>The system clock, or one that reads <paramref name="now"/> at this moment.</summary>
    public static TimeProvider StartingAt(DateTimeOffset? now) => now is { } start ? new ShiftedClock(start - System.GetUtcNow()) : System;
}
