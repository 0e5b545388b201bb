namespace Syndication.Primitives;

/// <summary>
/// The one backoff of the project: after the n-th failure in a row, wait <c>first × 2^(n-1)</c>, at most <c>longest</c>.
/// A feed waits 5 min, 10, 20… up to a day; an alert Telegram could not take waits 1 min, 2, 4… up to an hour.
/// </summary>
public static class Backoff
{
    public static TimeSpan After(int failures, TimeSpan first, TimeSpan longest)
    {
        if (failures < 1) return TimeSpan.Zero;
        var doublings = Math.Min(failures - 1, 30);
        var wait = first.TotalMinutes * Math.Pow(2, doublings);
        return wait >= longest.TotalMinutes ? longest : TimeSpan.FromMinutes(wait);
    }
}
