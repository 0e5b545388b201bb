using Cronos;

namespace Syndication.Config;

/// <summary>
/// When a channel's digest goes out, on the channel's clocks: every <see cref="Every"/> from midnight (<c>"1h"</c>: on the
/// hour; <c>"30m"</c>: on the hour and the half hour), or at each time a cron expression names (<c>"0 8,18 * * *"</c>).
/// An alert queued at some moment goes out in the first digest after it.
/// </summary>
public sealed class DigestSchedule
{
    public TimeSpan? Every { get; }
    public string? Cron { get; }
    readonly CronExpression? cron;

    public static readonly TimeSpan Shortest = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    DigestSchedule(TimeSpan? every, string? cronText, CronExpression? expression) => (Every, Cron, cron) = (every, cronText, expression);

    public static DigestSchedule EveryPeriod(TimeSpan every) => new(every, null, null);

    /// <summary>A five-field cron expression (minute hour day month weekday); null and <paramref name="error"/> when it is not one.</summary>
    public static DigestSchedule? FromCron(string text, out string? error)
    {
        try
        {
            error = null;
            return new(null, text, CronExpression.Parse(text, CronFormat.Standard));
        }
        catch (CronFormatException ex)
        {
            error = ex.Message.TrimEnd('.');
            return null;
        }
    }

    /// <summary>The longest a digest may keep its alerts waiting: a schedule with a longer gap between runs is refused.</summary>
    public static readonly TimeSpan LongestGap = TimeSpan.FromDays(7);

    /// <summary>
    /// Why a cron schedule would keep alerts waiting too long, in words with dates; null when every gap between its runs
    /// is at most <see cref="LongestGap"/>. Cron schedules repeat within 8 years (leap days included), so looking at
    /// runs from 1 January 2025 to 8 years and a week later finds every gap, whatever day it is checked.
    /// </summary>
    public string? TooRare()
    {
        if (cron is null) return null;
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddYears(8) + LongestGap;
        if (cron.GetNextOccurrence(start, TimeZoneInfo.Utc, inclusive: true) is not { } first || first > end)
            return "it never comes (no date matches it), so its alerts would wait for ever";
        // A gap longer than a week shows at the midnight after it starts: the next run is then more than 6 days away.
        // Only there are the day's runs before it read, to find the gap's exact start; a busy schedule never gets there.
        (DateTimeOffset From, DateTimeOffset To)? longest = null;
        for (var day = start; day < end; day = day.AddDays(1))
        {
            var next = cron.GetNextOccurrence(day, TimeZoneInfo.Utc, inclusive: true) ?? DateTimeOffset.MaxValue;
            if (next - day <= LongestGap - TimeSpan.FromDays(1)) continue;
            var from = day == start ? start : cron.GetOccurrences(day.AddDays(-1), day, TimeZoneInfo.Utc, fromInclusive: true, toInclusive: false).LastOrDefault();
            if (from == default) continue; // the gap began earlier, and was measured there
            var to = next < end ? next : end;
            if (to - from > LongestGap && (longest is null || to - from > longest.Value.To - longest.Value.From)) longest = (from, to);
        }
        if (longest is not { } gap) return null;
        static string Day(DateTimeOffset d) => d.ToString("d MMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
        return $"its runs can be {(gap.To - gap.From).TotalDays:N0} days apart (it would first come on {Day(first)}; for example from {Day(gap.From)} to {Day(gap.To)}), and alerts would wait that long; a digest must come at least every {LongestGap.TotalDays:0} days";
    }

    /// <summary>The first digest strictly after <paramref name="queued"/>, on the clocks of <paramref name="zone"/> (UTC when null).</summary>
    public DateTimeOffset NextAfter(DateTimeOffset queued, TimeZoneInfo? zone)
    {
        zone ??= TimeZoneInfo.Utc;
        if (cron is not null)
            return cron.GetNextOccurrence(queued, zone, inclusive: false) ?? DateTimeOffset.MaxValue;
        var every = Every!.Value;
        var local = TimeZoneInfo.ConvertTime(queued, zone);
        var midnight = new DateTimeOffset(local.Date, local.Offset);
        var slots = (long)Math.Floor((local - midnight) / every) + 1;
        var next = midnight + every * slots;
        if (next.Date != local.Date) next = midnight.AddDays(1); // the last slot of the day ends at midnight, where the count starts again
        // The same wall-clock moment, read in the zone: across a daylight-saving change the offset is the new one.
        var wall = DateTime.SpecifyKind(next.DateTime, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(wall)) wall = wall.AddMinutes(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wall, zone), TimeSpan.Zero);
    }

    public override string ToString() => Cron is not null ? $"at \"{Cron}\"" : $"every {Every!.Value.TotalMinutes:0} min";
}
