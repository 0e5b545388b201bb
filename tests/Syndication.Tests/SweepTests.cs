using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Whole sweeps against real Azurite, loopback feeds and the fake Bot API.</summary>
public sealed class SweepTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    object Config(IEnumerable<object> feeds, IEnumerable<object>? rules = null, IEnumerable<object>? channels = null) => new
    {
        feeds,
        channels = channels ?? [new { id = "security-desk", chat = "@security_desk" }, new { id = "sports-desk", chat = "-1001234567890" }],
        rules = rules ?? [new { id = "kayani", channels = new[] { "security-desk" }, anyOf = new[] { "Kayani", "Haqqani network" }, allOf = Array.Empty<string>(), noneOf = new[] { "cricket" } }],
    };

    static Item Filler(int n, DateTimeOffset published) =>
        new($"Markets close higher on day {n}", $"https://news.example/markets-{n}", Description: "<p>Stocks rose on trade hopes.</p>", Published: published);

    [Fact]
    public async Task Fixture_article_becomes_one_message_in_the_right_channel_and_one_article_blob()
    {
        // The feed is already known (first sweep), so the article arrives as news, not as backfill.
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Filler(1, Now.AddHours(-2))));
        var config = app.WriteConfig(Config([new { id = "pakistan-today", url, name = "Pakistan Today" }]));
        await app.SweepAsync(config);
        Assert.Empty(app.Bot.Messages);

        app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now), Filler(1, Now.AddHours(-2))));
        var report = await app.SweepAsync(config);

        var message = Assert.Single(app.Bot.Messages);
        Assert.Equal("@security_desk", message.ChatId);
        Assert.Equal("HTML", message.ParseMode, ignoreCase: true);
        Assert.StartsWith($"<b>{Fixture.Title}</b>\nPakistan Today · News Desk · {Now.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture)} UTC", message.Text);
        Assert.Contains("General Ashfaq Parvez <b>Kayani</b>", message.Text);
        Assert.Contains($"<a href=\"{Fixture.Link}\">Read more</a>", message.Text);
        Assert.EndsWith("#kayani", message.Text);
        Assert.Equal(1, report.Count(DeliveryStatus.Sent));

        var names = await app.BlobNamesAsync(app.Containers.Articles);
        var name = Assert.Single(names, n => n != Article.BlobNameFor("pakistan-today", "https://news.example/markets-1"));
        Assert.StartsWith("pakistan-today/", name);
        var stored = await app.Services.GetRequiredService<ArticleStore>().GetAsync(name, default);
        Assert.NotNull(stored);
        Assert.Equal(Fixture.Title, stored.Title);
        Assert.Equal("https://www.pakistantoday.com.pk/?p=112233", stored.Key);
        Assert.Equal("News Desk", stored.Author);
        Assert.Equal(["National", "Top Stories"], stored.Categories);
        Assert.Contains("the allied militant network of Sirajuddin Haqqani", stored.Text);
        Assert.DoesNotContain("<p>", stored.Text);
        var match = Assert.Single(stored.Matches);
        Assert.Equal("kayani", match.RuleId);
        // The explanation is kept with the article: which term hit, in which field, and where.
        Assert.Contains(match.Hits, h => h.Term == "Kayani" && h.Field == "title" && h.Snippet.StartsWith("[Kayani] balks"));
        Assert.Contains(match.Hits, h => h.Term == "Haqqani network" && h.Field == "text");

        // The blob is plain JSON with the documented field names and an ISO 8601 UTC date.
        var json = (await app.Containers.Articles.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString();
        using var document = JsonDocument.Parse(json);
        foreach (var field in new[] { "feedId", "key", "title", "link", "published", "author", "categories", "summary", "text", "fetchedAt", "matches" })
            Assert.True(document.RootElement.TryGetProperty(field, out _), $"article JSON lacks '{field}'");
        Assert.Equal(Now.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), document.RootElement.GetProperty("published").GetString());
    }

    [Fact]
    public async Task Second_sweep_sends_nothing_new()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        var first = await app.SweepAsync(config);
        var second = await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages);
        Assert.Equal(1, first.Feeds.Single().NewArticles);
        Assert.Equal(0, second.Feeds.Single().NewArticles);
        Assert.Empty(second.Deliveries);
        Assert.Single(await app.BlobNamesAsync(app.Containers.Articles));
        Assert.Single(await app.BlobNamesAsync(app.Containers.Deliveries));
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task A_send_that_fails_is_delivered_exactly_once_by_a_later_sweep()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));
        app.Bot.FailNext(1, 500, "Internal Server Error");

        var failed = await app.SweepAsync(config);
        Assert.Empty(app.Bot.Messages);
        var failure = Assert.Single(failed.Deliveries);
        Assert.Equal(DeliveryStatus.Retrying, failure.Status);
        Assert.Contains("500", failure.Error);
        Assert.Single(await app.BlobNamesAsync(app.Containers.Outbox));

        var retried = await app.SweepAsync(config);
        var third = await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(retried.Deliveries).Status);
        Assert.Empty(third.Deliveries);
        Assert.Equal(2, app.Bot.Attempts.Count); // sends only: whether this process checked the token already depends on test order
        var record = await app.Services.GetRequiredService<Outbox>().GetDeliveryAsync(OutboxEntry.NameFor("security-desk", Article.BlobNameFor("pt", "https://www.pakistantoday.com.pk/?p=112233")), default);
        Assert.NotNull(record);
        Assert.Equal(2, record.Attempts);
        Assert.Equal(app.Bot.Messages[0].MessageId, record.MessageId);
    }

    [Fact]
    public async Task NoneOf_wins_over_anyOf_and_allOf()
    {
        var cricket = new Item("Kayani attends cricket final", "https://news.example/cricket", Description: "<p>General Kayani watched the cricket final in Lahore.</p>", Published: Now);
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", cricket, Fixture.Item(Now.AddMinutes(-5))));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }], rules:
        [
            new { id = "kayani", channels = new[] { "security-desk" }, anyOf = new[] { "Kayani" }, allOf = new[] { "General" }, noneOf = new[] { "Cricket" } },
        ]));

        var report = await app.SweepAsync(config);

        var message = Assert.Single(app.Bot.Messages);
        Assert.Contains(Fixture.Title, message.Text);
        Assert.Equal(2, report.Feeds.Single().NewArticles);
        var cricketArticle = await app.Services.GetRequiredService<ArticleStore>().GetAsync(Article.BlobNameFor("pt", "https://news.example/cricket"), default);
        Assert.NotNull(cricketArticle);
        Assert.Empty(cricketArticle.Matches);
    }

    [Fact]
    public async Task A_malformed_feed_and_an_html_page_fail_alone()
    {
        var good = app.Feeds.Serve("good.xml", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var broken = app.Feeds.Serve("broken.xml", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title lang=en>Fish</title><item><title>x</title></item></channel></rss>");
        var html = app.Feeds.Serve("page.html", "<!DOCTYPE html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>", "text/html; charset=utf-8");
        var missing = app.Feeds.Url("gone.xml");
        var config = app.WriteConfig(Config([
            new { id = "broken", url = broken, backfill = 5 },
            new { id = "html", url = html, backfill = 5 },
            new { id = "missing", url = missing, backfill = 5 },
            new { id = "good", url = good, backfill = 5 },
        ]));

        var report = await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages);
        Assert.True(report.Feeds.Single(f => f.FeedId == "good").Succeeded);
        Assert.Contains("malformed XML at line 1", report.Feeds.Single(f => f.FeedId == "broken").Error);
        Assert.Contains("HTML page", report.Feeds.Single(f => f.FeedId == "html").Error);
        Assert.Contains("HTTP 404", report.Feeds.Single(f => f.FeedId == "missing").Error);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Feed broken (") && l.Contains("malformed XML"));
        Assert.Contains(app.Logs.Lines, l => l.Contains("Feed html (") && l.Contains("HTML page"));
        var failed = System.Text.RegularExpressions.Regex.Match(report.Summary, @"1 feed fetched, 3 failed \(([^)]*)\)").Groups[1].Value;
        Assert.Equal(["broken", "html", "missing"], failed.Split(", ").Order());
    }

    [Fact]
    public async Task An_invalid_config_sends_nothing_and_names_the_bad_path()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }], rules:
        [
            new { id = "kayani", channels = new[] { "security-desk" }, anyOf = new[] { "Kayani" } },
            new { id = "desk", channels = new[] { "security-desk", "desk" }, anyOf = new[] { "Kayani" } },
        ]));

        var error = await Assert.ThrowsAsync<ConfigException>(() => app.SweepAsync(config));

        Assert.Contains(error.Errors, e => e.ToString() == "rules[1].channels[1]: unknown channel 'desk'");
        Assert.Equal(0, app.Bot.Requests);
        Assert.False(await app.Containers.Articles.ExistsAsync());
    }

    [Fact]
    public async Task Angle_brackets_and_ampersands_from_the_feed_arrive_escaped()
    {
        var item = new Item("Kayani: profits < costs & losses > gains", "https://news.example/a?x=1&y=2",
            Description: "<p>Kayani said 2 &lt; 3 &amp; 5 &gt; 4, and &lt;script&gt;alert(1)&lt;/script&gt; is text.</p>", Published: Now);
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Tom & Jerry <News>", item));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        var report = await app.SweepAsync(config);

        // The fake Bot API parses HTML the way Telegram does; a stray '<' or '&' would have failed the send.
        var message = Assert.Single(app.Bot.Messages);
        Assert.Equal(DeliveryStatus.Sent, Assert.Single(report.Deliveries).Status);
        Assert.StartsWith("<b>Kayani: profits &lt; costs &amp; losses &gt; gains</b>\nTom &amp; Jerry &lt;News&gt; · ", message.Text);
        Assert.Contains("2 &lt; 3 &amp; 5 &gt; 4, and &lt;script&gt;alert(1)&lt;/script&gt; is text.", message.Text);
        Assert.Contains("href=\"https://news.example/a?x=1&amp;y=2\"", message.Text);
        Assert.Contains("Kayani: profits < costs & losses > gains", TelegramHtml.ToPlain(message.Text));
    }

    [Fact]
    public async Task Feeds_without_guid_or_link_still_get_stable_keys()
    {
        var item = new Item("Kayani meets envoy", Description: "<p>Kayani met the envoy.</p>", Published: Now);
        var url = app.Feeds.Serve("feed.atom", Rss.Atom("Atom desk", item with { Guid = null }), "application/atom+xml");
        var rssUrl = app.Feeds.Serve("feed.rss", Rss.WordPress("RSS desk", item), "application/rss+xml");
        var config = app.WriteConfig(Config([new { id = "atom", url, backfill = 5 }, new { id = "rss", url = rssUrl, backfill = 5 }]));

        await app.SweepAsync(config);
        var again = await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages); // one story in two feeds alerts its channel once (SameStoryTests)
        Assert.All(again.Feeds, f => Assert.Equal(0, f.NewArticles));
        var names = await app.BlobNamesAsync(app.Containers.Articles);
        Assert.Equal(2, names.Count);
    }

    [Fact]
    public async Task The_bot_token_never_appears_in_logs_reports_or_stored_records()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now), Filler(2, Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }], rules:
        [
            new { id = "kayani", channels = new[] { "security-desk", "sports-desk" }, anyOf = new[] { "Kayani", "Markets" } },
        ]));
        app.Bot.FailNext(1, 500, "Internal Server Error");
        app.Bot.FailNext(1, 400, "Bad Request: chat not found");

        var report = await app.SweepAsync(config);
        await app.Bot.DisposeAsync(); // Telegram unreachable: connection refused on the next sweep
        var unreachable = await app.SweepAsync(config);

        Assert.True(unreachable.TelegramUnreachable);
        Assert.NotEmpty(app.Logs.Lines);
        Assert.Contains(app.Logs.Lines, l => l.Contains("chat not found"));
        Assert.DoesNotContain(FakeBotApi.Token, app.Logs.All);
        Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], app.Logs.All);
        Assert.DoesNotContain(FakeBotApi.Token, JsonSerializer.Serialize(report, BlobJson.Options) + JsonSerializer.Serialize(unreachable, BlobJson.Options));
        foreach (var name in await app.BlobNamesAsync(app.Containers.Outbox))
            Assert.DoesNotContain(FakeBotApi.Token, (await app.Containers.Outbox.GetBlobClient(name).DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task A_dry_run_is_a_rehearsal_that_writes_nothing_and_shows_the_same_messages_twice()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        var dry = await app.SweepAsync(config, dryRun: true);
        var again = await app.SweepAsync(config, dryRun: true);

        Assert.Equal(0, app.Bot.Requests);
        var pending = Assert.Single(dry.Deliveries);
        Assert.Equal(DeliveryStatus.DryRun, pending.Status);
        Assert.StartsWith($"<b>{Fixture.Title}</b>", pending.Html);
        Assert.Contains("1 alert to send (dry run, nothing sent)", dry.Summary);
        Assert.Equal(pending.Html, Assert.Single(again.Deliveries).Html);
        // Nothing written: no article, no seen item, no feed state, no alert, no lease (before: 4 blobs and the backfill used up).
        Assert.Equal(0, dry.Storage.Writes + again.Storage.Writes);
        Assert.Equal(0, dry.Storage.Deletes + again.Storage.Deletes);
        foreach (var container in app.Containers.All)
            Assert.Empty(await app.BlobNamesAsync(container));

        // An editor who changes their mind after the rehearsal: the real run follows the configuration as it is now.
        var withoutRule = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }],
            rules: [new { id = "other", channels = new[] { "security-desk" }, anyOf = new[] { "cricket" } }]));
        var real = await app.SweepAsync(withoutRule);
        Assert.Empty(app.Bot.Messages);
        Assert.Empty(real.Deliveries);

        // And a rehearsal of a real run that would send shows exactly what is then sent.
        app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now.AddHours(1)) with { Guid = "second", Title = "Kayani again" }, Fixture.Item(Now)));
        var rehearsal = await app.SweepAsync(config, dryRun: true);
        var sent = await app.SweepAsync(config);
        Assert.Equal(rehearsal.Deliveries.Select(d => d.Html), app.Bot.Messages.Select(m => m.Text));
        Assert.Equal(1, sent.Count(DeliveryStatus.Sent));
    }

    [Fact]
    public async Task A_feed_over_the_size_limit_fails_alone_with_the_limit_named()
    {
        await using var small = await TestApp.StartAsync(settings => settings["Syndication:MaxFeedBytes"] = "2048");
        var big = small.Feeds.Serve("big.xml", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var tiny = small.Feeds.Serve("tiny.xml", Rss.WordPress("Tiny", new Item("Kayani", "https://news.example/t", Published: Now)));
        var config = small.WriteConfig(Config([new { id = "big", url = big, backfill = 5 }, new { id = "tiny", url = tiny, backfill = 5 }]));

        var report = await small.SweepAsync(config);

        Assert.Contains("2048-byte limit", report.Feeds.Single(f => f.FeedId == "big").Error);
        Assert.True(report.Feeds.Single(f => f.FeedId == "tiny").Succeeded);
        Assert.Single(small.Bot.Messages);
    }

    [Fact]
    public async Task Feeds_are_fetched_with_a_descriptive_user_agent()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Filler(1, Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url }]));

        await app.SweepAsync(config);

        Assert.StartsWith("Syndication/", Assert.Single(app.Feeds.UserAgents));
    }

    [Fact]
    public async Task A_real_sweep_without_a_token_fails_before_fetching_anything()
    {
        await using var tokenless = await TestApp.StartAsync(settings => settings["Telegram:BotToken"] = "");
        var url = tokenless.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = tokenless.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => tokenless.SweepAsync(config));

        Assert.Contains("Telegram__BotToken is not set", error.Message);
        Assert.Empty(tokenless.Feeds.UserAgents);
    }

    [Fact]
    public async Task Channel_options_reach_the_bot_api()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = app.WriteConfig("""
            { "feeds": [ { "id": "pt", "url": "URL", "backfill": 5 } ],
              "channels": [ { "id": "forum", "chat": "-1001234567890", "linkPreview": "off", "threadId": 42, "silent": true },
                            { "id": "plain", "chat": "@plain_channel", "linkPreview": "above" } ],
              "rules": [ { "id": "kayani", "channels": ["forum", "plain"], "anyOf": ["Kayani"] } ] }
            """.Replace("URL", url.ToString()));

        await app.SweepAsync(config);

        var forum = app.Bot.Messages.Single(m => m.ChatId == "-1001234567890").Body;
        Assert.True(forum["link_preview_options"]!["is_disabled"]!.GetValue<bool>());
        Assert.Equal(42, forum["message_thread_id"]!.GetValue<int>());
        Assert.True(forum["disable_notification"]!.GetValue<bool>());
        var plain = app.Bot.Messages.Single(m => m.ChatId == "@plain_channel").Body;
        Assert.True(plain["link_preview_options"]!["show_above_text"]!.GetValue<bool>());
        Assert.Null(plain["message_thread_id"]);
        Assert.Null(plain["disable_notification"]);
    }

    [Fact]
    public async Task Overlapping_sweeps_send_each_alert_once()
    {
        var items = Enumerable.Range(1, 5).Select(i => new Item($"Kayani story {i}", $"https://news.example/{i}", Description: "<p>Kayani.</p>", Published: Now.AddMinutes(i))).ToArray();
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", items));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 10, fullText = "never" }]));

        var reports = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => app.SweepAsync(config))));
        await app.SweepAsync(config);

        Assert.Equal(5, app.Bot.Messages.Count);
        Assert.Equal(5, app.Bot.Messages.Select(m => m.Text).Distinct().Count());
        Assert.Equal(5, reports.Sum(r => r.Count(DeliveryStatus.Sent)));
    }

    [Fact]
    public async Task An_unchanged_feed_costs_a_304_and_no_parsing_or_blob_write()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)), etag: "\"v1\"");
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        await app.SweepAsync(config);
        var store = app.Services.GetRequiredService<Syndication.Feeds.FeedStateStore>();
        var stateBlob = app.Containers.Feeds.GetBlobClient(Syndication.Feeds.FeedStateStore.BlobName(Syndication.Feeds.FeedShards.Of(url, store.ShardCount)));
        var before = (await stateBlob.GetPropertiesAsync()).Value.ETag;
        var unchanged = await app.SweepAsync(config);
        var after = (await stateBlob.GetPropertiesAsync()).Value.ETag;
        app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", new Item("Kayani again", "https://news.example/again", Description: "<p>Kayani.</p>", Published: Now.AddHours(1)), Fixture.Item(Now)), etag: "\"v2\"");
        var changed = await app.SweepAsync(config);

        Assert.Equal(["\"v1\"", "\"v1\""], app.Feeds.IfNoneMatch);
        Assert.True(unchanged.Feeds.Single().NotModified);
        Assert.Equal(before, after); // the 304 sweep wrote nothing
        Assert.Equal(0, unchanged.Storage.Writes);
        Assert.Equal(2, unchanged.Storage.Lists); // the outbox and the state shards' listings, and nothing per feed
        Assert.Equal(1, changed.Feeds.Single().NewArticles);
        Assert.Equal(2, app.Bot.Messages.Count);
    }

    [Fact]
    public async Task A_failing_feed_backs_off_breaks_after_ten_failures_and_editors_hear_once_each_way()
    {
        var url = app.Feeds.Serve("feed/", "", status: 500);
        var config = app.WriteConfig(new
        {
            alerts = new { chat = "@editors_room" },
            feeds = new[] { new { id = "pt", url, backfill = 5 } },
            channels = new[] { new { id = "security-desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "security-desk" }, anyOf = new[] { "Kayani" } } },
        });

        // Two days of five-minute sweeps, skipping those in which the feed only waits out its backoff (5, 10, 20 … minutes,
        // at most a day; its table is FeedScheduleTests): each sweep either reads the feed or says when it is due.
        var reports = new List<Syndication.Sweeps.SweepReport>();
        var end = app.Clock.GetUtcNow().AddDays(2);
        while (app.Clock.GetUtcNow() < end)
        {
            reports.Add(await app.SweepAsync(config));
            if (reports[^1].Feeds.Single().NotDueUntil is { } due && due.AddMinutes(-5) > app.Clock.GetUtcNow()) app.Clock.SetUtcNow(due.AddMinutes(-5));
        }
        var attempts = reports.Count(r => r.Feeds.Single().NotDueUntil is null);

        Assert.Equal(10, attempts); // 5 + 10 + … + 1,280 minutes apart: the tenth 42 h 40 min in, the eleventh a day after
        Assert.All(reports.Where(r => r.Feeds.Single().NotDueUntil is not null), r => Assert.Equal(0, r.Storage.Writes));
        Assert.Equal(1, reports.Count(r => r.Feeds.Single().BrokeNow));
        Assert.Contains("(1 broken: pt)", reports[^1].Summary);

        app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        app.Clock.Advance(TimeSpan.FromDays(1));
        var recovered = await app.SweepAsync(config);
        var after = await app.SweepAsync(config);

        Assert.True(recovered.Feeds.Single().Recovered);
        Assert.DoesNotContain("broken", after.Summary);
        var editors = app.Bot.Messages.Where(m => m.ChatId == "@editors_room").Select(m => TelegramHtml.ToPlain(m.Text)).ToList();
        Assert.Equal(2, editors.Count);
        Assert.StartsWith("⚠️ Feed pt is broken: HTTP 500", editors[0]);
        Assert.Equal("✅ Feed pt works again.", editors[1]);
    }

    [Theory]
    [InlineData(410, null, true)]
    [InlineData(503, "3600", false)]
    public async Task Gone_breaks_a_feed_at_once_and_retry_after_is_honoured(int status, string? retryAfter, bool broken)
    {
        var url = app.Feeds.Serve("feed/", "", status: status);
        if (retryAfter is not null) app.Feeds.RetryAfter = retryAfter;
        var config = app.WriteConfig(Config([new { id = "pt", url }]));

        var first = await app.SweepAsync(config);
        var second = await app.SweepAsync(config);

        Assert.Equal(broken, first.Feeds.Single().Broken);
        if (retryAfter is null)
        {
            Assert.True(second.Feeds.Single().Broken); // still reported in every sweep until it recovers
            Assert.Contains("(1 broken: pt)", second.Summary);
        }
        else
        {
            var due = second.Feeds.Single().NotDueUntil;
            Assert.True(due >= app.Clock.GetUtcNow().AddMinutes(50), $"due {due}, now {app.Clock.GetUtcNow()}");
        }
    }

    [Fact]
    public async Task Feeds_on_private_addresses_are_refused_unless_allowed()
    {
        await using var locked = await TestApp.StartAsync(settings => settings["Syndication:AllowPrivateNetworks"] = "false");
        var url = locked.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = locked.WriteConfig(Config([new { id = "pt", url, backfill = 5 }]));

        var report = await locked.SweepAsync(config);

        Assert.Contains("refused to connect to 127.0.0.1: it resolves only to private or local addresses", report.Feeds.Single().Error);
        Assert.Contains("Syndication__AllowPrivateNetworks", report.Feeds.Single().Error);
        Assert.Empty(locked.Feeds.UserAgents);
        Assert.Empty(locked.Bot.Messages);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    // Before, these passed: IPv4 inside IPv6 by NAT64, 6to4 and the old IPv4-compatible form.
    [InlineData("64:ff9b::a9fe:a9fe", true)]      // NAT64 of the metadata address 169.254.169.254
    [InlineData("64:ff9b::7f00:1", true)]         // NAT64 of 127.0.0.1
    [InlineData("64:ff9b:1::808:808", true)]      // local-use NAT64 (RFC 8215): never public
    [InlineData("2002:a9fe:a9fe::1", true)]       // 6to4 of 169.254.169.254
    [InlineData("2002:0a00:0001::", true)]        // 6to4 of 10.0.0.1
    [InlineData("::10.0.0.1", true)]              // IPv4-compatible
    [InlineData("64:ff9b::808:808", false)]       // NAT64 of 8.8.8.8 is public
    [InlineData("2002:808:808::1", false)]        // 6to4 of 8.8.8.8 is public
    [InlineData("8.8.8.8", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_and_local_addresses_are_recognised(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, Syndication.Feeds.PrivateNetworks.IsPrivate(System.Net.IPAddress.Parse(address)));

    [Theory]
    [InlineData("http://News.Example/story?id=7&utm_source=rss&utm_medium=feed#comments", "https://news.example:443/story?id=7")]
    [InlineData("https://news.example/story?id=7", "http://news.example/story?fbclid=abc&id=7")]
    public async Task A_feed_that_rewrites_its_links_does_not_alert_twice(string firstKey, string secondKey)
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", new Item("Kayani speaks", firstKey, Guid: firstKey, Description: "<p>Kayani.</p>", Published: Now)));
        var config = app.WriteConfig(Config([new { id = "pt", url, backfill = 5, fullText = "never" }]));

        await app.SweepAsync(config);
        app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", new Item("Kayani speaks", secondKey, Guid: secondKey, Description: "<p>Kayani.</p>", Published: Now)));
        var second = await app.SweepAsync(config);

        Assert.Equal(0, second.Feeds.Single().NewArticles);
        Assert.Single(app.Bot.Messages);
    }

    [Theory]
    [InlineData("https://news.example/a?utm_campaign=x&b=2#frag", "//news.example/a?b=2")]
    [InlineData("HTTP://NEWS.EXAMPLE:80/A", "//news.example/A")]
    [InlineData("https://news.example:8443/a", "//news.example:8443/a")]
    [InlineData("urn:uuid:1225c695-cfb8-4ebb", "urn:uuid:1225c695-cfb8-4ebb")]
    [InlineData("  tag:news.example,2026:42 ", "tag:news.example,2026:42")]
    public void Keys_are_normalized_for_deduplication(string key, string normalized) =>
        Assert.Equal(normalized, Syndication.Articles.ItemKey.Normalize(key));
}
