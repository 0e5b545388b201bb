using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Syndication.Delivery;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>Pacing on a fake clock, with Telegram's limits: 1 message a second and 20 a minute per chat, 30 a second overall.</summary>
public sealed class FloodControlTests(ITestOutputHelper output)
{
    static (FloodControl Flood, FakeTimeProvider Clock) Create()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 7, 0, 0, TimeSpan.Zero));
        return (new FloodControl(Options.Create(new DeliveryOptions()), clock), clock);
    }

    /// <summary>Books every alert at once, as a burst, and returns when the last one may go out.</summary>
    static TimeSpan Makespan(FloodControl flood, IEnumerable<string> chats) => chats.Select(flood.Reserve).Max();

    [Fact]
    public void A_hundred_alerts_to_one_channel_take_as_long_as_the_per_chat_limits_demand()
    {
        var (flood, _) = Create();

        var waits = Enumerable.Range(0, 100).Select(_ => flood.Reserve("@desk")).ToList();

        // 20 a minute: alerts 81 to 100 cannot start before minute 4; and never two within a second.
        Assert.True(waits[^1] >= TimeSpan.FromMinutes(4), $"last alert after {waits[^1]}");
        Assert.All(waits.Zip(waits.Skip(1)), pair => Assert.True(pair.Second - pair.First >= TimeSpan.FromSeconds(1)));
        for (var i = 20; i < waits.Count; i++) Assert.True(waits[i] - waits[i - 20] >= TimeSpan.FromMinutes(1));
    }

    [Fact]
    public void Alerts_spread_over_fifty_channels_are_not_serialized_behind_one_chat()
    {
        var (flood, _) = Create();

        var makespan = Makespan(flood, Enumerable.Range(0, 100).Select(i => $"@channel_{i % 50}"));

        // 100 alerts at 30 a second need 3.3 s; one chat at a time would need 50 s.
        Assert.InRange(makespan, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_burst_of_a_thousand_alerts_to_fifty_channels_is_close_to_telegrams_minimum()
    {
        var (flood, _) = Create();

        var makespan = Makespan(flood, Enumerable.Range(0, 1000).Select(i => $"@channel_{i % 50}"));

        // Telegram's minimum: 1,000 / 30 per second = 33.3 s overall; each channel's 20 alerts need 19 s at 1 a second.
        var minimum = TimeSpan.FromSeconds(1000.0 / 30);
        output.WriteLine($"1,000 alerts to 50 channels: last send after {makespan.TotalSeconds:F2} s; Telegram's minimum {minimum.TotalSeconds:F2} s");
        Assert.InRange(makespan, minimum - TimeSpan.FromSeconds(1), minimum + TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Waiting_follows_the_clock()
    {
        var (flood, clock) = Create();
        await flood.WaitAsync("@desk", CancellationToken.None); // the first goes at once

        // One second apart, and the 50 ms margin for what lies between this process and Telegram.
        var second = flood.WaitAsync("@desk", CancellationToken.None);
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1049));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_send_that_starts_late_pushes_the_next_one_back_so_real_sends_keep_the_limits()
    {
        var (flood, clock) = Create();
        await flood.WaitAsync("@desk", CancellationToken.None);            // at 0
        var second = flood.WaitAsync("@desk", CancellationToken.None);     // booked for 1,050 ms
        var third = flood.WaitAsync("@desk", CancellationToken.None);      // booked for 2,100 ms
        clock.Advance(TimeSpan.FromMilliseconds(1400));                    // the second's thread wakes 350 ms late
        await second.WaitAsync(TimeSpan.FromSeconds(5));

        // The third's booking has come, but the second really started at 1,400: it waits until 2,450.
        clock.Advance(TimeSpan.FromMilliseconds(700));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(349));
        Assert.False(third.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_send_that_took_long_spaces_the_next_one_from_its_end()
    {
        var (flood, clock) = Create();
        await flood.WaitAsync("@desk", CancellationToken.None); // starts at 0
        clock.Advance(TimeSpan.FromMilliseconds(300));           // Telegram answers 300 ms later; it received it somewhere in between
        flood.Finished("@desk");

        var next = flood.WaitAsync("@desk", CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(1049));           // 1,349 ms: a second and the margin after the start, not the end
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Sends_another_instance_made_to_a_chat_pace_this_one_and_are_handed_on()
    {
        var (flood, clock) = Create();
        var now = clock.GetUtcNow();
        // The instance that drained the channel before sent to it 200 ms ago, and 20 times within the last 40 s.
        flood.Remember("@desk", [now.AddMilliseconds(-200)]);
        Assert.Equal(TimeSpan.FromMilliseconds(850), flood.Reserve("@elsewhere") + flood.Reserve("@desk"));

        var (busy, busyClock) = Create();
        var start = busyClock.GetUtcNow();
        busy.Remember("@desk", Enumerable.Range(0, 20).Select(i => start.AddSeconds(-40 + 2 * i)));
        Assert.Equal(20, busy.Recent("@desk").Count);
        // The 21st may go a minute after the first of them, at 20 s from now, and the margin.
        Assert.Equal(TimeSpan.FromSeconds(20.05), busy.Reserve("@desk"));

        // What this instance sends is what it hands on, within the last minute.
        var fresh = Create();
        await fresh.Flood.WaitAsync("@desk", CancellationToken.None);
        fresh.Clock.Advance(TimeSpan.FromMilliseconds(120));
        fresh.Flood.Finished("@desk");
        Assert.Equal([fresh.Clock.GetUtcNow()], fresh.Flood.Recent("@desk"));
        fresh.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(fresh.Flood.Recent("@desk"));
    }
}
