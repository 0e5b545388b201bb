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

    static readonly DateTimeOffset T0 = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);

    /// <summary>
    /// Runs the line over simulated milliseconds: each channel's alerts become ready at its arrival, each drain sends one
    /// at a time (joining the line as soon as its chat's limits allow), turns are handed out at the process's own
    /// bot-wide spacing, and Telegram answers each send after <paramref name="answer"/>. Returns every send's start.
    /// </summary>
    /// <param name="personal">Which chats are subscribers' private chats (their sends rank behind channels'); none by default.</param>
    /// <param name="until">Stops the simulation early once this holds for the sends so far.</param>
    static List<(string Chat, TimeSpan At)> Simulate(IEnumerable<(string Chat, int Alerts, TimeSpan Arrives)> channels, TimeSpan answer, bool byRemaining = true, Func<string, bool>? personal = null,
        Func<List<(string Chat, TimeSpan At)>, bool>? until = null)
    {
        var line = new SendLine(new DeliveryOptions());
        var drains = channels.Select(c => new Drain(c.Chat, c.Alerts, c.Arrives)).ToList();
        var sends = new List<(string, TimeSpan)>();
        var finishing = new List<(Drain Drain, TimeSpan At)>();
        var left = drains.Sum(d => d.Left);
        for (var now = TimeSpan.Zero; (left > 0 || finishing.Count > 0) && until?.Invoke(sends) != true; now += TimeSpan.FromMilliseconds(1))
        {
            foreach (var done in finishing.Where(f => f.At <= now).ToList())
            {
                line.Finished(done.Drain.Chat, T0 + now);
                done.Drain.Busy = false;
                finishing.Remove(done);
            }
            foreach (var drain in drains.Where(d => d.Left > 0 && !d.Busy && d.Arrives <= now && line.ChatWait(d.Chat, T0 + now) == TimeSpan.Zero))
            {
                line.Join(drain.Chat, byRemaining ? drain.Left : 1, T0 + now, personal: personal?.Invoke(drain.Chat) ?? false);
                drain.Busy = true;
            }
            if (line.GlobalWait(T0 + now) == TimeSpan.Zero && line.Release(T0 + now) is { } turn)
            {
                var drain = drains.First(d => d.Chat == turn.Chat && d.Busy && d.Left > 0 && !finishing.Any(f => f.Drain == d));
                drain.Left--;
                left--;
                sends.Add((turn.Chat, now));
                finishing.Add((drain, now + answer));
            }
        }
        return sends;
    }

    sealed class Drain(string chat, int alerts, TimeSpan arrives)
    {
        public string Chat { get; } = chat;
        public int Left { get; set; } = alerts;
        public TimeSpan Arrives { get; } = arrives;
        public bool Busy { get; set; }
    }

    static void AssertWithinTelegramLimits(List<(string Chat, TimeSpan At)> sends)
    {
        var times = sends.Select(s => s.At).Order().ToList();
        for (var i = 30; i < times.Count; i++) Assert.True(times[i] - times[i - 30] >= TimeSpan.FromSeconds(1), $"31 sends within a second at {times[i]}");
        foreach (var chat in sends.GroupBy(s => s.Chat))
        {
            var mine = chat.Select(s => s.At).Order().ToList();
            for (var i = 1; i < mine.Count; i++) Assert.True(mine[i] - mine[i - 1] >= TimeSpan.FromSeconds(1), $"{chat.Key}: two sends within a second");
            for (var i = 20; i < mine.Count; i++) Assert.True(mine[i] - mine[i - 20] >= TimeSpan.FromMinutes(1), $"{chat.Key}: 21 sends within a minute");
        }
    }

    [Fact]
    public void A_hundred_alerts_to_one_channel_take_as_long_as_the_per_chat_limits_demand()
    {
        var sends = Simulate([("@desk", 100, TimeSpan.Zero)], answer: TimeSpan.FromMilliseconds(100));

        // 20 a minute: alerts 81 to 100 cannot start before minute 4; and never two within a second.
        Assert.Equal(100, sends.Count);
        Assert.True(sends[^1].At >= TimeSpan.FromMinutes(4), $"last alert after {sends[^1].At}");
        AssertWithinTelegramLimits(sends);
    }

    [Fact]
    public void Alerts_spread_over_fifty_channels_are_not_serialized_behind_one_chat()
    {
        var sends = Simulate(Enumerable.Range(0, 50).Select(i => ($"@channel_{i}", 2, TimeSpan.Zero)), answer: TimeSpan.FromMilliseconds(100));

        // 100 alerts at 30 a second need 3.3 s; one chat at a time would need 50 s.
        Assert.InRange(sends[^1].At, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));
        AssertWithinTelegramLimits(sends);
    }

    [Fact]
    public void A_burst_of_a_thousand_alerts_to_fifty_channels_is_close_to_telegrams_minimum()
    {
        var sends = Simulate(Enumerable.Range(0, 50).Select(i => ($"@channel_{i}", 20, TimeSpan.Zero)), answer: TimeSpan.FromMilliseconds(100));

        // Telegram's minimum: 1,000 / 30 per second = 33.3 s overall; each channel's 20 alerts need 19 s at 1 a second.
        var minimum = TimeSpan.FromSeconds(1000.0 / 30);
        output.WriteLine($"1,000 alerts to 50 channels: last send after {sends[^1].At.TotalSeconds:F2} s; Telegram's minimum {minimum.TotalSeconds:F2} s");
        Assert.InRange(sends[^1].At, minimum - TimeSpan.FromSeconds(1), minimum * 1.06);
        AssertWithinTelegramLimits(sends);
    }

    [Fact]
    public void Channels_whose_alerts_arrive_late_in_a_burst_catch_up_instead_of_finishing_alone()
    {
        // As a sweep reads feeds one after another: channel i's 20 alerts arrive at i × 120 ms, the last 6 s in.
        var channels = Enumerable.Range(0, 50).Select(i => ($"@channel_{i}", 20, TimeSpan.FromMilliseconds(120 * i))).ToList();

        var byRemaining = Simulate(channels, answer: TimeSpan.FromMilliseconds(100));
        var inOrder = Simulate(channels, answer: TimeSpan.FromMilliseconds(100), byRemaining: false);

        output.WriteLine($"last send: {byRemaining[^1].At.TotalSeconds:F2} s picking by alerts left, {inOrder[^1].At.TotalSeconds:F2} s in order of readiness");
        // 1,000 sends at the bot-wide spacing (35 ms) take 35 s, and the first 4 s lose about one: until 33 channels have
        // alerts, each at most one a second, there are not enough to fill every slot.
        Assert.True(byRemaining[^1].At <= TimeSpan.FromSeconds(36.5), $"{byRemaining[^1].At}");
        Assert.True(inOrder[^1].At - byRemaining[^1].At >= TimeSpan.FromSeconds(1), $"{inOrder[^1].At} against {byRemaining[^1].At}");
        AssertWithinTelegramLimits(byRemaining);
    }

    [Fact]
    public void A_lone_alert_waits_for_its_turn_no_longer_than_the_credit_of_the_alerts_it_competes_with()
    {
        // 49 channels deep in a burst, and one with a single alert arriving 10 s in.
        var channels = Enumerable.Range(0, 49).Select(i => ($"@channel_{i}", 20, TimeSpan.Zero)).Append(("@quiet", 1, TimeSpan.FromSeconds(10))).ToList();

        var sends = Simulate(channels, answer: TimeSpan.FromMilliseconds(100));

        var quiet = sends.Single(s => s.Chat == "@quiet").At - TimeSpan.FromSeconds(10);
        output.WriteLine($"the lone alert went {quiet.TotalMilliseconds} ms after it arrived");
        Assert.True(quiet <= SendLine.CreditPerAlert * 20, $"{quiet}");
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
        var next = flood.WaitAsync("@desk", CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(849));
        Assert.False(next.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        await next.WaitAsync(TimeSpan.FromSeconds(5));

        var busy = new SendLine(new DeliveryOptions());
        busy.Remember("@desk", Enumerable.Range(0, 20).Select(i => T0.AddSeconds(-40 + 2 * i)), T0);
        Assert.Equal(20, busy.Recent("@desk", T0).Count);
        // The 21st may go a minute after the first of them, at 20 s from now, and the margin.
        Assert.Equal(TimeSpan.FromSeconds(20.05), busy.ChatWait("@desk", T0));

        // What this instance sends is what it hands on, within the last minute.
        var fresh = Create();
        await fresh.Flood.WaitAsync("@desk", CancellationToken.None);
        fresh.Clock.Advance(TimeSpan.FromMilliseconds(120));
        fresh.Flood.Finished("@desk");
        Assert.Equal([fresh.Clock.GetUtcNow()], fresh.Flood.Recent("@desk"));
        fresh.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Empty(fresh.Flood.Recent("@desk"));
    }

    [Fact]
    public void A_story_for_2000_people_and_50_channels_reaches_the_channels_as_fast_as_alone_and_every_person_after()
    {
        var channels = Enumerable.Range(0, 50).Select(c => ($"@desk_{c}", 1, TimeSpan.FromMilliseconds(500))).ToList();
        // The worst case: the people's alerts are in line first, half a second before the channels'.
        var people = Enumerable.Range(0, 2000).Select(p => ($"{100_000 + p}", 1, TimeSpan.Zero)).ToList();
        static bool Person(string chat) => !chat.StartsWith('@');
        var answer = TimeSpan.FromMilliseconds(100);

        var alone = Simulate(channels, answer).Max(s => s.At) - TimeSpan.FromMilliseconds(500);
        var together = Simulate([.. people, .. channels], answer, personal: Person);
        // Without the ranking, run only until every channel has had its alert.
        var unranked = Simulate([.. people, .. channels], answer, until: s => s.Count(x => !Person(x.Chat)) == channels.Count);

        var lastChannel = together.Where(s => !Person(s.Chat)).Max(s => s.At) - TimeSpan.FromMilliseconds(500);
        var spacing = new SendLine(new DeliveryOptions()).Spacing;
        output.WriteLine($"channels alone: last at {alone.TotalSeconds:0.000} s; with 2,000 people: {lastChannel.TotalSeconds:0.000} s; without ranking: {(unranked.Where(s => !Person(s.Chat)).Max(s => s.At) - TimeSpan.FromMilliseconds(500)).TotalSeconds:0.0} s; last person at {together.Max(s => s.At).TotalSeconds:0.0} s");
        // Their share is the one send already under way when the channels arrived.
        Assert.True(lastChannel <= alone + spacing, $"the last channel got its alert {lastChannel} after the story; alone {alone}");
        Assert.True(unranked.Where(s => !Person(s.Chat)).Max(s => s.At) > TimeSpan.FromSeconds(60)); // what the ranking prevents
        // Every person got theirs once, and the bot-wide rate was used throughout: 2,050 sends at 30 a second (and the margin).
        Assert.Equal(people.Select(p => p.Item1).Order(), together.Where(s => Person(s.Chat)).Select(s => s.Chat).Order());
        Assert.True(together.Max(s => s.At) <= spacing * 2050 + TimeSpan.FromSeconds(1), $"{together.Max(s => s.At)}");
        AssertWithinTelegramLimits(together);
    }

    [Fact]
    public void A_person_who_has_waited_longer_than_the_handicap_goes_before_a_channel()
    {
        var line = new SendLine(new DeliveryOptions());
        var person = line.Join("100001", 1, T0, personal: true);
        line.Join("@desk", 1, T0 + SendLine.PersonalHandicap - TimeSpan.FromSeconds(1));
        Assert.Equal("@desk", line.Release(T0 + SendLine.PersonalHandicap)!.Chat);

        line.Join("@desk_2", 1, T0 + SendLine.PersonalHandicap + TimeSpan.FromSeconds(1));
        Assert.Same(person, line.Release(T0 + SendLine.PersonalHandicap + TimeSpan.FromSeconds(2)));
    }
}
