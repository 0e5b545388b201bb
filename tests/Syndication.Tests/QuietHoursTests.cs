using System.Globalization;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// A channel's quiet hours, on a fake clock: alerts in the window go out without a sound, or wait for its end and go then,
/// once; the window is read in the channel's time zone, across midnight and daylight-saving changes.
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

    [Theory]
    [InlineData("23:00", "07:00", "2026-11-28T23:30:00Z", true)]
    [InlineData("23:00", "07:00", "2026-11-28T06:59:00Z", true)]
    [InlineData("23:00", "07:00", "2026-11-28T07:00:00Z", false)]
    [InlineData("23:00", "07:00", "2026-11-28T12:00:00Z", false)]
    [InlineData("01:00", "05:00", "2026-11-28T00:59:00Z", false)]
    [InlineData("01:00", "05:00", "2026-11-28T01:00:00Z", true)]
    public void The_window_may_cross_midnight(string from, string to, string at, bool inside) =>
        Assert.Equal(inside, new QuietHours(TimeOnly.Parse(from), TimeOnly.Parse(to), false).Contains(DateTimeOffset.Parse(at), null));

    [Fact]
    public void The_window_is_read_on_the_channels_clocks_through_a_daylight_saving_change()
    {
        var london = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");
        var quiet = new QuietHours(new TimeOnly(0, 0), new TimeOnly(1, 30), Hold: true);

        // 29 March 2026: London's clocks go from 01:00 to 02:00, so 01:30 never comes; the window ends when they jump.
        var night = new DateTimeOffset(2026, 3, 29, 0, 30, 0, TimeSpan.Zero);
        Assert.True(quiet.Contains(night, london));
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero), quiet.EndAfter(night, london));
        // In summer the same window is an hour earlier in UTC.
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 0, 30, 0, TimeSpan.Zero), quiet.EndAfter(new DateTimeOffset(2026, 6, 30, 23, 15, 0, TimeSpan.Zero), london));
    }

    [Theory]
    [InlineData("\"23:00-07:00\"", "channels[0].quietHours: must be an object such as { \"from\": \"23:00\", \"to\": \"07:00\" }, not a string")]
    [InlineData("{ \"from\": \"25:00\", \"to\": \"07:00\" }", "channels[0].quietHours.from: '25:00' is not a time of day on a 24-hour clock, such as \"23:00\" or \"07:30\"")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"7pm\" }", "channels[0].quietHours.to: '7pm' is not a time of day on a 24-hour clock")]
    [InlineData("{ \"from\": \"23:00\" }", "channels[0].quietHours.to: ")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"23:00\" }", "channels[0].quietHours.to: is the same time as from (23:00)")]
    [InlineData("{ \"form\": \"23:00\", \"to\": \"07:00\" }", "channels[0].quietHours.form: unknown field 'form'; did you mean 'from'?")]
    [InlineData("{ \"from\": \"23:00\", \"to\": \"07:00\", \"hold\": \"yes\" }", "channels[0].quietHours.hold: must be true or false")]
    public void Check_says_what_is_wrong_with_quiet_hours_and_where(string quietHours, string error)
    {
        var json = $$"""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "quietHours": {{quietHours}} } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ] }
            """;

        var thrown = Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));

        Assert.Contains(thrown.Errors, e => e.ToString().StartsWith(error, StringComparison.Ordinal));
    }
}
