using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>An Urdu rule typed from an Arabic keyboard, against an Urdu feed, through a real sweep: one alert, the words highlighted.</summary>
public sealed class UrduSweepTests : IAsyncLifetime
{
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task An_urdu_rule_typed_with_arabic_keyboard_letters_alerts_once_on_a_feed_typed_with_urdu_letters()
    {
        // The feed writes keheh ک, Farsi yeh ی and heh goal ہ; the rule was typed with Arabic kaf ك, yeh ي and heh ه.
        var url = app.Feeds.Serve("jang/", Rss.WordPress("Jang", new Item("کراچی میں پاکستان فوج کی پریڈ، شہر میں جشن", "https://jang.example/news/1",
            Description: "<p>پاکستان فوج نے ۲۰۲۶ کی پریڈ میں حصہ لیا۔</p>", Published: app.Clock.GetUtcNow().AddMinutes(-10))));
        var config = app.WriteConfig(new
        {
            feeds = new[] { new { id = "jang", url, backfill = 5, fullText = "never" } },
            channels = new[] { new { id = "urdu-desk", chat = "@urdu_desk", language = "ur" } },
            rules = new[] { new { id = "fauj", channels = new[] { "urdu-desk" }, anyOf = new[] { "پاكستان فوج" }, allOf = new[] { "شهر", "2026" } } },
        });

        await app.SweepAsync(config);
        await app.SweepAsync(config);

        var alert = Assert.Single(app.Bot.Messages, m => m.ChatId == "@urdu_desk");
        Assert.Contains("<b>پاکستان فوج</b>", alert.Text); // highlighted as the rule matched, in the feed's own letters
        Assert.Contains("۲۰۲۶", alert.Text);
    }
}
