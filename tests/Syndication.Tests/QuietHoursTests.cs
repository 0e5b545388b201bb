using System.Globalization;
using Syndication.Delivery;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// A channel's quiet hours, on a fake clock: alerts in the window go out without a sound, or wait for its end and go then,
/// once. The window itself (the channel's time zone, midnight, daylight-saving changes) is decided in
/// <see cref="ChannelDrainTests"/>.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class QuietHoursTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(); // its clock: 07:00 UTC, 12:00 in Karachi
    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config(object quietHours, string timeZone = "Asia/Karachi")
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today",
            new Item("Kayani balks at US demands", "https://news.example/1", Description: "<p>General Kayani met the delegation.</p>", Published: Published)));
        return app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 5, fullText = "never" } },
            channels = new object[] { new { id = "desk", chat = "@security_desk", timeZone, quietHours }, new { id = "ops", chat = "@ops_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk", "ops" }, anyOf = new[] { "Kayani" } } },
        });
    }

    [Fact]
    public async Task In_the_window_an_alert_goes_out_without_a_sound_and_other_channels_are_untouched()
    {
        var report = await app.SweepAsync(Config(new { from = "11:30", to = "13:00" })); // 12:05 in Karachi

        var desk = Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        var ops = Assert.Single(app.Bot.Messages, m => m.ChatId == "@ops_desk");
        Assert.True(desk.Body["disable_notification"]?.GetValue<bool>());
        Assert.Null(ops.Body["disable_notification"]);
        Assert.Equal(2, report.Count(DeliveryStatus.Sent));
    }

    [Fact]
    public async Task With_hold_an_alert_waits_for_the_window_to_end_and_then_goes_once_with_its_sound()
    {
        var config = Config(new { from = "11:30", to = "13:00", hold = true });

        var during = await app.SweepAsync(config);                 // 12:05 in Karachi
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@security_desk");
        var held = Assert.Single(during.Deliveries, d => d.ChannelId == "desk");
        Assert.Equal(DeliveryStatus.Held, held.Status);
        Assert.Equal($"held for quiet hours until {TestClock.Start.ToOffset(TimeSpan.FromHours(5)).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}, 13:00 UTC+05:00", held.Error);
        Assert.Contains("1 held for quiet hours", during.Summary);

        app.Clock.Advance(TimeSpan.FromMinutes(40));
        await app.SweepAsync(config);                              // 12:50: still held
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@security_desk");

        await app.SweepAsync(config);                              // 12:55 + 5 = 13:00: the window has ended
        await app.SweepAsync(config);
        var desk = Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        Assert.Null(desk.Body["disable_notification"]);
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@ops_desk");
    }
}
