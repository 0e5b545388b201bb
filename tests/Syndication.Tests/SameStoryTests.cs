using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// One alert per story per channel across feeds, wired through storage: an agency story carried by three sites alerts
/// each channel once, and preview says so. Which articles are one story is decided in <see cref="SameStoriesTests"/>.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class SameStoryTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    internal const string AgencyLead = "ISLAMABAD: Chief of Army Staff General Ashfaq Parvez Kayani on Friday told a joint session of parliament that the army " +
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
    public async Task Feeds_claiming_in_one_channel_at_once_are_served_together_and_each_story_is_claimed_once()
    {
        await app.Containers.EnsureCreatedAsync(CancellationToken.None);
        var recent = app.Services.GetRequiredService<Syndication.Delivery.RecentStories>();
        var requests = app.Services.GetRequiredService<Syndication.Storage.StorageRequests>();
        // 24 feeds with a story each (no two alike: their headlines share no word), and 8 more carrying four of them again.
        static string Words(int i) => string.Join(' ', Enumerable.Range(0, 8).Select(w => $"w{i}x{w}"));
        static Article Story(string feed, int i) =>
            new(feed, $"item-{i}", Words(i), $"https://news.example/story/{i}", Published, null, [], Words(i), Words(i), Published, []);
        var claims = Enumerable.Range(0, 24).Select(i => (Feed: $"feed-{i}", Story: i))
            .Concat(Enumerable.Range(0, 8).Select(i => (Feed: $"again-{i}", Story: i % 4))).ToList();
        var before = requests.Snapshot;

        var found = (await Task.WhenAll(claims.Select(c => Task.Run(() => recent.ClaimAsync("desk", [Story(c.Feed, c.Story)], CancellationToken.None))))).Select(c => c.Repeats).ToList();

        var spent = requests.Snapshot - before;
        // Each story went to whichever feed claimed it first; every other feed carrying it was told which article it repeats.
        foreach (var story in Enumerable.Range(0, 24))
        {
            var carriers = claims.Select((c, n) => (c, Found: found[n])).Where(x => x.c.Story == story).ToList();
            var firsts = carriers.Where(x => x.Found.Count == 0).ToList();
            var first = Assert.Single(firsts);
            Assert.All(carriers.Except(firsts), x => Assert.Equal(Article.BlobNameFor(first.c.Feed, $"item-{story}"), Assert.Single(x.Found).Value));
        }
        // Claimed alone, each of the 32 feeds would have read and written the list at least once.
        Assert.InRange(spent.Writes, 1, 8);
        Assert.InRange(spent.Reads, 1, 8);
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
    public async Task Outlets_that_carry_a_sent_story_later_are_added_to_its_alert_by_edits_at_least_10_minutes_apart()
    {
        var story = (string site, string path, int minutes) => new Item("Kayani tells parliament army will not accept unilateral action",
            $"https://www.{site}.example/{path}", Description: $"<p>{AgencyLead}</p>", Published: Published.AddMinutes(minutes));
        var urls = new[] { "dawn", "tribune", "geo" }.Select(f => (Feed: f, Url: app.Feeds.Serve($"{f}/", Rss.WordPress(f == "dawn" ? "Dawn" : f, f == "dawn" ? [story("dawn", "news/1", 0)] : [])))).ToList();
        var config = app.WriteConfig(new
        {
            feeds = urls.Select(u => new { id = u.Feed, url = u.Url, backfill = 5, fullText = "never" }).ToArray(),
            channels = new object[] { new { id = "desk", chat = "@security_desk" }, new { id = "ops", chat = "@ops_desk", alsoReported = false, language = "ur" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk", "ops" }, anyOf = new[] { "Kayani" } } },
        });

        await app.SweepAsync(config);                                                  // 07:05: Dawn's report, alerted
        app.Feeds.Serve("tribune/", Rss.WordPress("The Express Tribune", story("tribune", "story/9", 10)));
        await app.SweepAsync(config);                                                  // 07:10: the Tribune carries it: edited at once
        app.Feeds.Serve("geo/", Rss.WordPress("Geo", story("geo", "k", 12)));
        await app.SweepAsync(config);                                                  // 07:15: Geo too, but the last edit was 5 minutes ago
        var early = app.Bot.Edits.Count;
        app.Clock.Advance(TimeSpan.FromMinutes(4));
        await app.SweepAsync(config);                                                  // 07:24: 14 minutes after the first edit
        await app.SweepAsync(config);

        var alert = Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        var edits = app.Bot.Edits.Where(e => e.ChatId == "@security_desk").ToList();
        Assert.Equal(2, edits.Count);
        Assert.Equal(1, early);
        Assert.All(edits, e => Assert.Equal(alert.MessageId, e.MessageId));
        Assert.EndsWith("Also: The Express Tribune", TelegramHtml.ToPlain(edits[0].Text));
        Assert.EndsWith("Also: The Express Tribune · Geo", TelegramHtml.ToPlain(edits[1].Text));
        Assert.Contains("<a href=\"https://www.tribune.example/story/9\">The Express Tribune</a> · <a href=\"https://www.geo.example/k\">Geo</a>", edits[1].Text);
        Assert.StartsWith(alert.Text, edits[1].Text); // the alert as sent, and the line
        var ops = Assert.Single(app.Bot.Messages, m => m.ChatId == "@ops_desk");
        Assert.DoesNotContain(app.Bot.Edits, e => e.ChatId == "@ops_desk"); // alsoReported: false
        Assert.Contains(">مزید پڑھیں</a>", ops.Text); // language: ur
        Assert.Equal("غیر متعلقہ", ops.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["text"]!.GetValue<string>());
        Assert.Equal("Not relevant", alert.Body["reply_markup"]!["inline_keyboard"]![0]![0]!["text"]!.GetValue<string>());
    }

    static readonly string[] Outlets = ["dawn", "tribune", "geo", "samaa"];
    static readonly Dictionary<string, string> Names = new() { ["dawn"] = "Dawn", ["tribune"] = "The Express Tribune", ["geo"] = "Geo", ["samaa"] = "Samaa" };

    /// <summary>Four outlets' feeds, empty until <see cref="Carry"/>; a desk alerted by a rule, and a breaking-news channel that takes growing stories.</summary>
    string GrowingConfig(TestApp on)
    {
        foreach (var outlet in Outlets) on.Feeds.Serve($"{outlet}/", Rss.WordPress(Names[outlet]));
        return on.WriteConfig(new
        {
            feeds = Outlets.Select(o => new { id = o, url = on.Feeds.Url($"{o}/"), backfill = 5, fullText = "never" }).ToArray(),
            channels = new object[] { new { id = "desk", chat = "@security_desk" }, new { id = "breaking", chat = "@breaking_news", growing = new { outlets = 3, within = "60m" } } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
    }

    /// <summary>The outlet carries the story now, as the app's clock reads.</summary>
    static void Carry(TestApp on, string outlet, TestApp? clock = null) =>
        on.Feeds.Serve($"{outlet}/", Rss.WordPress(Names[outlet], new Item("Kayani tells parliament army will not accept unilateral action", $"https://www.{outlet}.example/news/1",
            Description: $"<p>{AgencyLead}</p>", Published: (clock ?? on).Clock.GetUtcNow())));

    [Fact]
    public async Task Three_outlets_over_40_minutes_give_one_alert_two_also_edits_and_one_growing_alert_and_two_give_none()
    {
        var config = GrowingConfig(app);

        Carry(app, "dawn");
        await app.SweepAsync(config);                                        // Dawn: the desk's alert
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        Carry(app, "tribune");
        await app.SweepAsync(config);                                        // 20 minutes on, the Tribune: an edit, and two outlets grow nothing
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@breaking_news");
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        Carry(app, "geo");
        await app.SweepAsync(config);                                        // 40 minutes on, Geo: a second edit, and the story is growing
        app.Clock.Advance(TimeSpan.FromMinutes(15));
        Carry(app, "samaa");
        await app.SweepAsync(config);                                        // a fourth outlet: the growing alert is edited, not sent again

        var desk = Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
        Assert.Equal(3, app.Bot.Edits.Count(e => e.ChatId == "@security_desk"));
        Assert.EndsWith("Also: The Express Tribune · Geo · Samaa", TelegramHtml.ToPlain(app.Bot.Edits.Last(e => e.ChatId == "@security_desk").Text));
        var growing = Assert.Single(app.Bot.Messages, m => m.ChatId == "@breaking_news");
        var plain = TelegramHtml.ToPlain(growing.Text);
        Assert.StartsWith("📈 Growing story · 3 outlets in 40 min · first report\n", plain);
        Assert.Contains("<a href=\"https://www.dawn.example/news/1\">first report</a>", growing.Text);
        Assert.Contains("Geo · ", plain); // the third outlet's report is the one shown
        Assert.EndsWith("Also: Dawn · The Express Tribune", plain);
        Assert.DoesNotContain("#", plain); // no rule sent it
        var edit = Assert.Single(app.Bot.Edits, e => e.ChatId == "@breaking_news");
        Assert.Equal(growing.MessageId, edit.MessageId);
        Assert.EndsWith("Also: Dawn · The Express Tribune · Samaa", TelegramHtml.ToPlain(edit.Text));
        Assert.Single(TelegramHtml.ToPlain(edit.Text).Split('\n'), l => l.StartsWith("Also:")); // the line replaced, not repeated
        Assert.Single(app.Logs.Lines, l => l.Contains("growing", StringComparison.OrdinalIgnoreCase) && l.Contains("breaking"));

        // An editor asks about it by any outlet's link: its outlets with their times, and what each channel got.
        var commands = app.Services.GetRequiredService<Syndication.Editing.EditorCommands>();
        var live = await Syndication.Config.ConfigSource.LoadFileAsync(config, CancellationToken.None);
        var ayesha = new Syndication.Config.EditorDefinition(111111111, "Ayesha", Syndication.Config.EditorRole.Editor);
        var story = TelegramHtml.ToPlain((await commands.RunAsync(ayesha, "/story https://tribune.example/news/1/?utm_source=twitter", live, CancellationToken.None))!.Html);
        var start = TestClock.Start;
        string At(int minutes) => start.AddMinutes(minutes).UtcDateTime.ToString("dd MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Contains("Story: Kayani tells parliament army will not accept unilateral action", story);
        Assert.Contains($"4 outlets in 60 min\n• {At(0)} Dawn (first report)\n• {At(20)} The Express Tribune\n• {At(40)} Geo\n• {At(60)} Samaa", story);
        Assert.Contains($"• desk: alert sent {At(5)}; edit (Also: 1 outlet) sent {At(25)}; edit (Also: 2 outlets) sent {At(45)}; edit (Also: 3 outlets) sent {At(65)}", story);
        Assert.Contains($"• breaking: growing alert sent {At(45)}; edit (Also: 3 outlets) sent {At(65)}", story);
        var unknown = (await commands.RunAsync(ayesha, "/story https://elsewhere.example/1", live, CancellationToken.None))!.Html;
        Assert.StartsWith("No story kept names https://elsewhere.example/1", unknown);
        Assert.StartsWith("Write it as <code>/story LINK</code>", (await commands.RunAsync(ayesha, "/story", live, CancellationToken.None))!.Html);
        _ = desk;
    }

    [Fact]
    public async Task A_restart_between_outlets_sends_no_second_growing_alert()
    {
        var config = await TwoOutletsAsync();

        // Another process (a restart, or the next instance the host starts) on the same storage and bot: it knows only what storage keeps.
        await using (var restarted = await Restarted())
        {
            Carry(app, "geo", clock: restarted);
            await restarted.SweepAsync(config);
        }
        await using (var again = await Restarted())
        {
            Carry(app, "samaa", clock: again);
            await again.SweepAsync(config);
            await again.SweepAsync(config);
        }

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@breaking_news");
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }

    [Fact]
    public async Task Two_instances_that_see_the_third_outlet_at_once_send_one_growing_alert()
    {
        var config = await TwoOutletsAsync();
        await using var second = await Restarted();

        Carry(app, "geo");
        Carry(app, "samaa");
        second.Clock.SetUtcNow(app.Clock.GetUtcNow());
        await Task.WhenAll(app.SweepAsync(config), second.SweepAsync(config)); // both read all four feeds at the same moment
        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages, m => m.ChatId == "@breaking_news");
        Assert.Single(app.Bot.Messages, m => m.ChatId == "@security_desk");
    }

    [Fact]
    public async Task Preview_shows_a_storys_outlets_and_the_growing_alert_a_third_outlet_would_send()
    {
        var config = await TwoOutletsAsync();
        Carry(app, "geo");

        var result = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--url", app.Feeds.Url("geo/").ToString(), "--json");

        Assert.Equal(0, result.ExitCode);
        using var json = System.Text.Json.JsonDocument.Parse(result.Output);
        var item = json.RootElement[0].GetProperty("items")[0];
        var outlets = item.GetProperty("story").GetProperty("outlets").EnumerateArray().ToList();
        Assert.Equal(["Dawn", "The Express Tribune", "Geo"], outlets.Select(o => o.GetProperty("name").GetString()));
        Assert.Equal(TestClock.Start, outlets[0].GetProperty("at").GetDateTimeOffset());
        Assert.Equal("https://www.dawn.example/news/1", outlets[0].GetProperty("link").GetString());
        // What the channels got of the story so far: the desk's alert, sent when the first sweep ended.
        var channel = Assert.Single(item.GetProperty("story").GetProperty("channels").EnumerateArray());
        Assert.Equal("desk", channel.GetProperty("channelId").GetString());
        Assert.True(Assert.Single(channel.GetProperty("trail").EnumerateArray()).GetProperty("sent").GetBoolean());
        Assert.Equal(["breaking"], item.GetProperty("story").GetProperty("growingIn").EnumerateArray().Select(o => o.GetString()));
        var message = item.GetProperty("messages").EnumerateArray().Single(m => m.GetProperty("channelId").GetString() == "breaking");
        Assert.StartsWith("📈 <b>Growing story</b> · 3 outlets in", message.GetProperty("html").GetString());
        Assert.Equal("a growing story", message.GetProperty("delivery").GetString());
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@breaking_news"); // nothing sent, nothing added to the log
        var plain = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--url", app.Feeds.Url("geo/").ToString());
        Assert.Contains("3 outlets (Dawn, The Express Tribune, Geo); growing in breaking", plain.Output);
    }

    /// <summary>Dawn, then a minute later the Tribune, carry the story, and a sweep reads both: two outlets, no growing story yet.</summary>
    async Task<string> TwoOutletsAsync()
    {
        var config = GrowingConfig(app);
        Carry(app, "dawn");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Carry(app, "tribune");
        await app.SweepAsync(config);
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@breaking_news");
        return config;
    }

    /// <summary>A second app on this test's storage, bot and feeds, its clock where this app's is.</summary>
    async Task<TestApp> Restarted()
    {
        var other = await TestApp.StartAsync(s =>
        {
            s["Syndication:ContainerPrefix"] = app.ContainerPrefix;
            s["Telegram:ApiBaseUrl"] = app.Bot.BaseUrl;
        }, sharedContainers: true);
        other.Clock.SetUtcNow(app.Clock.GetUtcNow());
        return other;
    }
}
