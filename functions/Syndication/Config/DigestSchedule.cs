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
