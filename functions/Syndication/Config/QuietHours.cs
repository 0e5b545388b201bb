namespace Syndication.Config;

/// <summary>
/// A channel's quiet hours, from <see cref="From"/> to <see cref="To"/> in its time zone (a window may cross midnight):
/// alerts then go out without a notification sound, or, with <see cref="Hold"/>, wait until the window ends.
/// </summary>
public sealed record QuietHours(TimeOnly From, TimeOnly To, bool Hold)
{
    /// <summary>Whether <paramref name="now"/> falls in the window, read in <paramref name="zone"/> (UTC when null).</summary>
    public bool Contains(DateTimeOffset now, TimeZoneInfo? zone)
    {
        var local = TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone ?? TimeZoneInfo.Utc).DateTime);
        return From < To ? local >= From && local < To : local >= From || local < To;
    }

    /// <summary>
    /// The first end of the window after <paramref name="now"/>: the next <see cref="To"/> on the clocks of
    /// <paramref name="zone"/>. A <c>to</c> that a daylight-saving change skips that day ends the window when the clocks
    /// have moved past it.
    /// </summary>
    public DateTimeOffset EndAfter(DateTimeOffset now, TimeZoneInfo? zone)
    {
        zone ??= TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, zone).DateTime;
        var end = DateOnly.FromDateTime(local).ToDateTime(To);
        if (end <= local) end = end.AddDays(1);
        while (zone.IsInvalidTime(end)) end = end.AddMinutes(1);
        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(DateTime.SpecifyKind(end, DateTimeKind.Unspecified), zone), TimeSpan.Zero);
    }

    public override string ToString() => $"{From:HH\\:mm}–{To:HH\\:mm}{(Hold ? ", held" : ", silent")}";
}
