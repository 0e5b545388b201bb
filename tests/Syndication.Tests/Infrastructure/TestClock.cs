namespace Syndication.Tests.Infrastructure;

/// <summary>
/// The moment every test's app starts at, and the moment test data is dated from: stories are published hours
/// before it, never on a date written into a test. It is fixed, so a run does not depend on the day it runs; the
/// suite runs its date-sensitive classes a second time with <see cref="ShiftVariable"/> a year ahead, which fails any
/// test whose data does not move with it. Processes a test starts (the CLI, the Functions worker) get this clock
/// through <c>Syndication__Now</c>.
/// </summary>
static class TestClock
{
    public const string ShiftVariable = "SYNDICATION_TEST_CLOCK_SHIFT_DAYS";

    /// <summary>Days the clock is moved from its usual start; 0 unless <see cref="ShiftVariable"/> says otherwise.</summary>
    public static int ShiftDays { get; } = int.TryParse(Environment.GetEnvironmentVariable(ShiftVariable), out var days) ? days : 0;

    /// <summary>07:00 UTC: noon in Karachi, where the quiet-hours and digest scenarios are set.</summary>
    public static DateTimeOffset Start { get; } = new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero).AddDays(ShiftDays);
}
