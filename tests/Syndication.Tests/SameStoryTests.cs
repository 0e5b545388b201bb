using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// One alert per story per channel across feeds: an agency story carried by three sites, or one article in a site's main
/// and section feeds, alerts each channel once; two different stories on the same topic alert twice.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class SameStoryTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    const string AgencyLead = "ISLAMABAD: Chief of Army Staff General Ashfaq Parvez Kayani on Friday told a joint session of parliament that the army " +
        "would not accept any unilateral action on Pakistani soil and that cooperation with the United States would be reviewed, " +
        "according to officials present at the in-camera briefing.";

    string Config(params (string Feed, Item Item)[] feeds)
    {
        var urls = feeds.Select(f => (f.Feed, Url: app.Feeds.Serve($"{f.Feed}/", Rss.WordPress(f.Feed, f.Item)))).ToList();
        return app.WriteConfig(new
        {
            feeds = urls.Select(u => new { id = u.Feed, url = u.Url, backfill = 5, fullText = "never" }).ToArray(),
            channels = new[] { new { id = "desk", chat = "@security_desk" }, new { id = "ops", chat = "@ops_desk" } },
            rules = new[]
            {
                new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } },
                new { id = "army", channels = new[] { "ops" }, anyOf = new[] { "army" } },
            },
        });
    }

    [Fact]
    public async Task An_agency_story_on_three_feeds_alerts_each_channel_once_and_the_repeats_say_what_they_repeat()
    {
        var config = Config(
            ("dawn", new Item("Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", Description: $"<p>{AgencyLead}</p>", Published: Published)),
            ("tribune", new Item("Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/9", Description: $"<p>{AgencyLead} The session lasted four hours.</p>", Published: Published.AddMinutes(3))),
            ("nation", new Item("Kayani tells parliament army will not accept unilateral action", "https://nation.example/2026/11/28/kayani", Description: $"<p>{AgencyLead.Replace("ISLAMABAD: ", "")}</p>", Published: Published.AddMinutes(5))));

        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@ops_desk");
        var store = app.Services.GetRequiredService<ArticleStore>();
        var stored = new List<Article>();
        foreach (var feed in new[] { "dawn", "tribune", "nation" })
            foreach (var name in (await app.BlobNamesAsync(app.Containers.Articles)).Where(n => n.StartsWith(feed + "/")))
                stored.Add((await store.GetAsync(name, CancellationToken.None))!);
        Assert.Equal(3, stored.Count);
        // Feeds are read side by side, so each channel's first may be a different site's; in each, the other two point at it.
        foreach (var channel in new[] { "desk", "ops" })
        {
            var original = Assert.Single(stored, a => a.DuplicateOf?.ContainsKey(channel) != true).BlobName;
            var repeats = stored.Where(a => a.DuplicateOf?.ContainsKey(channel) == true).ToList();
            Assert.Equal(2, repeats.Count);
            Assert.All(repeats, a => Assert.Equal(original, a.DuplicateOf![channel]));
            Assert.Contains(app.Logs.Lines, l => l.Contains($"repeats {original}, already alerted to channel {channel}: not alerted again"));
        }
    }

    [Fact]
    public async Task Two_different_stories_on_the_same_topic_alert_twice()
    {
        var config = Config(
            ("dawn", new Item("Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", Description: $"<p>{AgencyLead}</p>", Published: Published)),
            ("tribune", new Item("Kayani meets Mullen in Abu Dhabi over Haqqani network", "https://tribune.example/story/10",
                Description: "<p>General Kayani met Admiral Mike Mullen in Abu Dhabi on Saturday to discuss the Haqqani network and border coordination, a military spokesman said.</p>", Published: Published.AddMinutes(3))));

        await app.SweepAsync(config);

        Assert.Equal(2, app.Bot.Messages.Count(m => m.ChatId == "@security_desk"));
    }

    [Fact]
    public async Task One_event_under_two_outlets_own_headlines_and_leads_alerts_once()
    {
        // Headlines from the UCI News Aggregator set (one event, two outlets); each site wrote its own lead.
        var config = Config(
            ("reuters", new Item("Kayani rejects US demands on Haqqani network, asks parliament to back army", "https://reuters.example/1",
                Description: "<p>Pakistan's army chief told lawmakers on Friday the military would not be pushed into new operations.</p>", Published: Published)),
            ("dawn", new Item("Kayani asks parliament to back army against US demands on Haqqani network", "https://dawn.example/news/2",
                Description: "<p>In a closed-door briefing, General Ashfaq Parvez Kayani sought the support of both houses.</p>", Published: Published.AddMinutes(40))));

        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }

    [Fact]
    public async Task Preview_shows_that_a_story_the_channel_already_had_would_not_be_sent_there()
    {
        await app.SweepAsync(Config(("dawn", new Item("Kayani tells parliament army will not accept unilateral action", "https://dawn.example/news/1", Description: $"<p>{AgencyLead}</p>", Published: Published))));
        var tribune = app.Feeds.Serve("tribune/", Rss.WordPress("tribune", new Item("Army won't accept unilateral action, Kayani tells parliament", "https://tribune.example/story/9",
            Description: $"<p>{AgencyLead} The session lasted four hours.</p>", Published: Published.AddMinutes(3))));

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", Config(), "--url", tribune.ToString(), "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var messages = json.RootElement[0].GetProperty("items")[0].GetProperty("messages").EnumerateArray().ToDictionary(m => m.GetProperty("channelId").GetString()!);
        var original = Assert.Single(await app.BlobNamesAsync(app.Containers.Articles));
        Assert.Equal(original, messages["desk"].GetProperty("repeats").GetString());
        Assert.Contains("not sent: the same story as", messages["desk"].GetProperty("delivery").GetString());
        Assert.Equal(original, messages["ops"].GetProperty("repeats").GetString());
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }

    [Fact]
    public async Task One_article_in_a_sites_main_and_section_feeds_alerts_once()
    {
        var config = Config(
            ("main", new Item("Kayani tells parliament army will not accept unilateral action", "https://www.dawn.example/news/1?utm_source=rss", Guid: "main-1", Description: $"<p>{AgencyLead}</p>", Published: Published)),
            ("pakistan", new Item("Army chief briefs parliament", "http://dawn.example/news/1/", Guid: "section-77", Description: "<p>General Kayani briefed parliament.</p>", Published: Published)));

        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }

    [Theory]
    [InlineData("https://www.dawn.example/news/1?utm_source=rss#comments", "dawn.example/news/1")]
    [InlineData("http://m.dawn.example/news/1/amp/", "dawn.example/news/1")]
    [InlineData("https://dawn.example/news?id=5&b=2&fbclid=x", "dawn.example/news?b=2&id=5")]
    [InlineData("https://dawn.example:8443/news/1", "dawn.example:8443/news/1")]
    [InlineData("mailto:desk@dawn.example", null)]
    public void A_canonical_address_keeps_only_what_names_the_page(string link, string? expected) =>
        Assert.Equal(expected, StoryFingerprint.CanonicalUrl(link));

    [Fact]
    public void A_copied_story_is_close_and_a_different_story_on_the_topic_is_far()
    {
        var copied = StoryFingerprint.Similarity(
            StoryFingerprint.Shingles("Kayani tells parliament army will not accept unilateral action", AgencyLead),
            StoryFingerprint.Shingles("Army won't accept unilateral action, Kayani tells parliament", AgencyLead + " The session lasted four hours."));
        var other = StoryFingerprint.Similarity(
            StoryFingerprint.Shingles("Kayani tells parliament army will not accept unilateral action", AgencyLead),
            StoryFingerprint.Shingles("Kayani meets Mullen in Abu Dhabi", "General Kayani met Admiral Mike Mullen in Abu Dhabi on Saturday to discuss the army's cooperation with the United States."));

        Assert.InRange(copied, StoryFingerprint.SameText, 1);
        Assert.InRange(other, 0, 0.1);
    }
}
