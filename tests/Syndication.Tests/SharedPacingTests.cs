using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>
/// Telegram's limits hold however many instances send: the bot-wide limit is shared through storage, and a chat's last
/// sends travel with its channel's lease. Measured where Telegram measures them, at the (fake) Bot API, on the wall clock.
/// </summary>
[Collection(nameof(SharedPacingTests))] // timing measured at the Bot API: no other test may load the machine meanwhile
public sealed class SharedPacingTests(ITestOutputHelper output) : IAsyncLifetime
{
    const int Limit = 3; // a low bot-wide limit, so two instances each wanting more than it would pass it together
    TestApp first = null!;
    TestApp second = null!;

    static void Paced(Dictionary<string, string?> s)
    {
        s["Delivery:Pace"] = "true";
        s["Delivery:GlobalPerSecond"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Slots 400 ms apart: three fit in 800 ms and a fourth comes 1,200 ms after the first, room for this machine's jitter.
        s["Delivery:PacingMarginMilliseconds"] = "200";
    }

    public async Task InitializeAsync()
    {
        first = await TestApp.StartAsync(Paced, realClock: true);
        second = await TestApp.StartAsync(s =>
        {
            Paced(s);
            s["Syndication:ContainerPrefix"] = first.ContainerPrefix; // the same storage account
            s["Telegram:ApiBaseUrl"] = first.Bot.BaseUrl;           // the same bot
        }, realClock: true);
        await first.Containers.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await second.DisposeAsync();
        await first.DisposeAsync();
    }

    async Task<SyndicationConfig> ChannelsAsync(int count) => await ConfigSource.LoadFileAsync(first.WriteConfig(new
    {
        feeds = new[] { new { id = "wire", url = "http://127.0.0.1:9/feed.xml" } },
        channels = Enumerable.Range(0, count).Select(c => new { id = $"c{c}", chat = $"@chat_{c}" }),
        rules = new[] { new { id = "all", channels = Enumerable.Range(0, count).Select(c => $"c{c}"), anyOf = new[] { "Kayani" } } },
    }), CancellationToken.None);

    async Task QueueAsync(string channelId, string chat, int index)
    {
        var now = DateTimeOffset.UtcNow; // these apps run on the system clock (realClock)
        var html = $"<b>Kayani story {channelId}-{index}</b>";
        await first.Services.GetRequiredService<Outbox>().EnqueueAsync(
            new OutboxEntry(channelId, chat, $"wire/{channelId}-{index:D2}.json", now.AddMinutes(index - 60), now, ["all"], html), CancellationToken.None);
    }

    /// <summary>The most messages that reached the Bot API within any one second.</summary>
    static int MostInOneSecond(IEnumerable<DateTimeOffset> arrivals)
    {
        var times = arrivals.Order().ToList();
        var most = 0;
        for (int i = 0, j = 0; i < times.Count; i++)
        {
            while (times[i] - times[j] >= TimeSpan.FromSeconds(1)) j++;
            most = Math.Max(most, i - j + 1);
        }
        return most;
    }

    [Fact]
    public async Task Two_instances_taking_slots_at_once_never_hold_the_same_one_nor_pass_the_limit()
    {
        var options = Options.Create(new DeliveryOptions());
        var slots = new[] { first, second }.Select(app =>
            new SendSlots(app.Containers, options, TimeProvider.System, NullLogger<SendSlots>.Instance)).ToList();

        // Each instance books 90 sends in bursts of 7, both at once: three seconds' worth of the limit each.
        var taken = await Task.WhenAll(slots.Select(s => Task.Run(async () =>
        {
            var mine = new List<DateTimeOffset>();
            while (mine.Count < 90) mine.AddRange(await s.TakeAsync(7, CancellationToken.None));
            return mine;
        })));

        var all = taken.SelectMany(t => t).ToList();
        output.WriteLine($"{all.Count} slots from {all.Min():HH:mm:ss.fff} to {all.Max():HH:mm:ss.fff}");
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.True(MostInOneSecond(all) <= 30, $"{MostInOneSecond(all)} slots in one second");
        // 180 sends at 30 a second (and the 50 ms margin) need about six seconds of slots, not three.
        Assert.True(all.Max() - all.Min() >= TimeSpan.FromSeconds(5.5), $"slots span {all.Max() - all.Min()}");
    }

    [Fact]
    public async Task Two_instances_draining_different_channels_at_once_keep_the_bot_wide_limit_together()
    {
        // Eight chats, two alerts each: each instance drains four, wanting four sends a second against a limit of three.
        var config = await ChannelsAsync(8);
        for (var c = 0; c < 8; c++)
            for (var n = 0; n < 2; n++) await QueueAsync($"c{c}", $"@chat_{c}", n);

        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(() =>
            (c % 2 == 0 ? first : second).Services.GetRequiredService<Dispatcher>().DeliverChannelAsync($"c{c}", config, CancellationToken.None))));

        var arrivals = first.Bot.Messages.Select(m => m.Received).ToList();
        output.WriteLine(string.Join(", ", arrivals.Order().Select(a => $"{(a - arrivals.Min()).TotalMilliseconds:0}")));
        Assert.DoesNotContain("Could not share the bot-wide send limit", first.Logs.All + second.Logs.All);
        Assert.Equal(16, arrivals.Count);
        Assert.Equal(16, first.Bot.Messages.Select(m => m.Text).Distinct().Count());
        output.WriteLine($"16 sends in {(arrivals.Max() - arrivals.Min()).TotalMilliseconds:0} ms; at most {MostInOneSecond(arrivals)} in one second");
        Assert.True(MostInOneSecond(arrivals) <= Limit, $"{MostInOneSecond(arrivals)} messages reached the Bot API within one second");
    }

    [Fact]
    public async Task A_channel_drained_by_another_instance_right_after_keeps_its_chat_a_second_apart()
    {
        var config = await ChannelsAsync(1);
        await QueueAsync("c0", "@chat_0", 0);
        await first.Services.GetRequiredService<Dispatcher>().DeliverChannelAsync("c0", config, CancellationToken.None);
        await QueueAsync("c0", "@chat_0", 1);
        await second.Services.GetRequiredService<Dispatcher>().DeliverChannelAsync("c0", config, CancellationToken.None);

        var arrivals = first.Bot.Messages.Select(m => m.Received).Order().ToList();
        Assert.Equal(2, arrivals.Count);
        output.WriteLine($"gap between the two instances' sends to one chat: {(arrivals[1] - arrivals[0]).TotalMilliseconds:0} ms");
        Assert.True(arrivals[1] - arrivals[0] >= TimeSpan.FromSeconds(1), $"{(arrivals[1] - arrivals[0]).TotalMilliseconds:0} ms apart");
    }
}

[CollectionDefinition(nameof(SharedPacingTests), DisableParallelization = true)]
public sealed class SharedPacingCollection;
