using Syndication.Feeds;
using Syndication.Primitives;

namespace Syndication.Tests;

/// <summary>When a feed is read, as a table: pure functions of its state, the server's answer and the clock. No I/O.</summary>
public sealed class FeedScheduleTests
{
    static readonly DateTimeOffset Now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 5)]
    [InlineData(1, 5)]
    [InlineData(2, 10)]
    [InlineData(3, 20)]
    [InlineData(8, 640)]
    [InlineData(9, 1280)]
    [InlineData(10, 1440)] // a day at most
    [InlineData(40, 1440)]
    public void A_failing_feed_waits_5_minutes_doubling_up_to_a_day(int failuresBefore, int minutes)
    {
        var state = new FeedState(null, null, null, null, Math.Max(0, failuresBefore - 1));
        var failed = FeedSchedule.AfterFailure(failuresBefore == 0 ? null : state, "503", 503, null, Now);
        Assert.Equal(Now.AddMinutes(minutes), failed.NextDueAt);
        Assert.Equal(Math.Max(1, failuresBefore), failed.ConsecutiveFailures);
    }

    [Theory]
    [InlineData(null, 1, false)]
    [InlineData(null, 9, false)]
    [InlineData(null, 10, true)]   // ten in a row
    [InlineData(410, 1, true)]     // Gone, at once
    public void A_feed_is_broken_after_ten_failures_or_one_410(int? status, int failures, bool broken)
    {
        var state = failures == 1 ? null : new FeedState(null, null, null, null, failures - 1);
        Assert.Equal(broken, FeedSchedule.AfterFailure(state, "x", status, null, Now).Broken);
    }

    [Theory]
    [InlineData(1, 5)]        // Retry-After shorter than the backoff: the backoff stands
    [InlineData(120, 120)]    // longer: the server's word
    [InlineData(7200, 1440)]  // longer than a day: a day
    public void Retry_after_puts_a_feed_off_as_the_server_asks_up_to_a_day(int retryAfterMinutes, int minutes) =>
        Assert.Equal(Now.AddMinutes(minutes), FeedSchedule.AfterFailure(null, "429", 429, TimeSpan.FromMinutes(retryAfterMinutes), Now).NextDueAt);

    [Theory]
    [InlineData(0, null, null)]        // neither: the next sweep
    [InlineData(30, null, 30)]         // minIntervalMinutes
    [InlineData(0, 600, 10)]           // Cache-Control max-age=600
    [InlineData(30, 600, 30)]          // the later of the two
    [InlineData(5, 7200, 120)]
    [InlineData(0, 172800, 1440)]      // freshness capped at a day
    [InlineData(0, -5, null)]          // stale already: no wait
    public void After_a_read_the_later_of_min_interval_and_freshness(int minInterval, int? freshSeconds, int? minutes) =>
        Assert.Equal(minutes is { } m ? Now.AddMinutes(m) : null,
            FeedSchedule.NextAfterRead(minInterval, freshSeconds is { } s ? TimeSpan.FromSeconds(s) : null, Now));

    [Fact]
    public void A_feed_is_due_at_its_time_not_before()
    {
        var state = new FeedState(null, null, null, null, 0) { NextDueAt = Now.AddMinutes(5) };
        Assert.Equal(Now.AddMinutes(5), FeedSchedule.NotDueUntil(state, Now));
        Assert.Null(FeedSchedule.NotDueUntil(state, Now.AddMinutes(5)));
        Assert.Null(FeedSchedule.NotDueUntil(null, Now));
    }

    [Fact]
    public void One_backoff_serves_feeds_and_alerts()
    {
        Assert.Equal(TimeSpan.Zero, Backoff.After(0, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)));
        Assert.Equal([1, 2, 4, 8, 16, 32, 60, 60], Enumerable.Range(1, 8).Select(n => Backoff.After(n, TimeSpan.FromMinutes(1), TimeSpan.FromHours(1)).TotalMinutes));
        Assert.Equal(TimeSpan.FromDays(1), Backoff.After(int.MaxValue, TimeSpan.FromMinutes(5), TimeSpan.FromDays(1)));
    }

    [Fact]
    public void A_feeds_site_is_kept_from_the_last_read_that_parsed_one()
    {
        var fetched = new FetchedFeed(new Uri("https://dawn.example/feed"), [], "application/rss+xml", null);
        var read = FeedSchedule.AfterRead(null, fetched, "f1", unchanged: false, 3, complete: true, 0, Now, site: "https://dawn.example/");
        var notModified = FeedSchedule.AfterRead(read, fetched with { NotModified = true }, "f1", unchanged: true, 0, complete: true, 0, Now.AddMinutes(5));
        var moved = FeedSchedule.AfterRead(notModified, fetched, "f2", unchanged: false, 1, complete: true, 0, Now.AddMinutes(10), site: "https://www.dawn.example/");

        Assert.Equal(["https://dawn.example/", "https://dawn.example/", "https://www.dawn.example/"], new[] { read, notModified, moved }.Select(s => s.Site));
    }
}
