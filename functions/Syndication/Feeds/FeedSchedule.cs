using Syndication.Primitives;

namespace Syndication.Feeds;

/// <summary>
/// When a feed is read: its decisions as pure functions of its state, the server's answer and the clock, so they are
/// tested as a table. The executor (<c>FeedProcessor</c>) only asks and records.
/// </summary>
public static class FeedSchedule
{
    /// <summary>The longest a server's word (Cache-Control, Expires, Retry-After) puts a feed off.</summary>
    public static readonly TimeSpan MaxFreshness = TimeSpan.FromHours(24);

    /// <summary>Consecutive failures after which a feed is reported as broken.</summary>
    public const int BrokenAfter = 10;

    /// <summary>When the feed is not due yet: the time it is; null when it is due now.</summary>
    public static DateTimeOffset? NotDueUntil(FeedState? state, DateTimeOffset now) =>
        state?.NextDueAt is { } due && due > now ? due : null;

    /// <summary>After a full read: the later of <c>minIntervalMinutes</c> and the server's freshness (capped at a day); null for the next sweep.</summary>
    public static DateTimeOffset? NextAfterRead(int minIntervalMinutes, TimeSpan? freshFor, DateTimeOffset now)
    {
        DateTimeOffset? due = minIntervalMinutes > 0 ? now.AddMinutes(minIntervalMinutes) : null;
        if (freshFor is { } fresh && fresh > TimeSpan.Zero)
        {
            var until = now + (fresh > MaxFreshness ? MaxFreshness : fresh);
            if (due is null || until > due) due = until;
        }
        return due;
    }

    /// <summary>How often an unchanged feed's last success is written down: more often would cost a write every sweep.</summary>
    public static readonly TimeSpan SuccessGranularity = TimeSpan.FromHours(1);

    /// <summary>Whether a read must be whole: validators only count once the feed has been read whole, so a feed that never succeeded, or whose first read was cut short, is fetched in full.</summary>
    public static bool FirstRead(FeedState? state) => state?.FirstSuccessAt is null || state.FirstReadPending;

    /// <summary>
    /// The feed's state after a read. Items held back (<paramref name="complete"/> false) are new next time, so nothing
    /// may say this version of the feed was read whole: no validators, no fingerprint, due at the next sweep. An unchanged
    /// feed's last success is written at most hourly, so a quiet feed costs no write each sweep. The feed's site is kept
    /// from the last read that parsed one (<paramref name="site"/> null: not parsed this time, or named none).
    /// </summary>
    public static FeedState AfterRead(FeedState? state, FetchedFeed fetched, string? fingerprint, bool unchanged, int newArticles, bool complete, int minIntervalMinutes, DateTimeOffset now,
        string? site = null)
    {
        var keepLastSuccess = unchanged && state is { ConsecutiveFailures: 0, LastSuccessAt: { } last } && now - last < SuccessGranularity;
        return new FeedState(state?.FirstSuccessAt ?? now, keepLastSuccess ? state!.LastSuccessAt : now, state?.LastErrorAt, state?.LastError, 0)
        {
            ETag = complete ? fetched.ETag : null,
            LastModified = complete ? fetched.LastModified : null,
            NextDueAt = complete ? NextAfterRead(minIntervalMinutes, fetched.FreshFor, now) : null,
            ItemsFingerprint = complete ? fingerprint : null,
            ArticlesStored = (state?.ArticlesStored ?? 0) + newArticles,
            MovedTo = fetched.MovedTo?.ToString(),
            FirstReadPending = FirstRead(state) && !complete,
            Site = site ?? state?.Site,
        };
    }

    /// <summary>
    /// The failure and when to try again: 5 minutes after the first, doubling up to 24 hours (<see cref="Backoff"/>), or
    /// later if the server said so (Retry-After, capped at a day). After <see cref="BrokenAfter"/> failures in a row, or a
    /// 410 Gone, the feed is broken, and stays so until a read succeeds.
    /// </summary>
    public static FeedState AfterFailure(FeedState? state, string reason, int? status, TimeSpan? retryAfter, DateTimeOffset now)
    {
        var failures = (state?.ConsecutiveFailures ?? 0) + 1;
        var wait = Backoff.After(failures, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        if (retryAfter is { } asked && asked > wait) wait = asked > MaxFreshness ? MaxFreshness : asked;
        return (state ?? new FeedState(null, null, null, null, 0)) with
        {
            LastErrorAt = now,
            LastError = reason,
            ConsecutiveFailures = failures,
            NextDueAt = now + wait,
            Broken = failures >= BrokenAfter || status == 410 || state?.Broken == true,
        };
    }
}
