namespace Syndication.Tests.Infrastructure;

/// <summary>
/// The classes <c>scripts/test.sh</c> runs a second time, under <c>TZ=America/New_York</c> and with the test clock a year
/// ahead (<see cref="TestClock.ShiftVariable"/>): no parsed value may depend on the host's time zone, and no test on
/// the day it runs.
/// </summary>
static class SecondPass
{
    public const string Name = "SecondPass";

    /// <summary>Parsing: every date read from a feed is the same in any host time zone.</summary>
    public const string TimeZone = "TimeZone";

    /// <summary>Scenarios whose outcome turns on dates (same-story windows, digests, quiet hours, retries, a rule's figures, a CLI process's clock).</summary>
    public const string YearAhead = "YearAhead";
}
