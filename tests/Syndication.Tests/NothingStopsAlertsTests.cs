using System.Diagnostics;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs.Specialized;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Delivery;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Faults that used to stop alerting or send twice: a lease lost mid-send, the two timers firing together, a feed that
/// stalls, a feed too big for one sweep, a crash in a first read, a refused token, a lost answer, endless flood waits.
/// </summary>
public sealed class NothingStopsAlertsTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync()
    {
        Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], app.Logs.All);
        await app.DisposeAsync();
    }

    static Item Story(int n) => new($"Kayani story {n}", $"https://news.example/{n}", Description: $"<p>General Kayani, part {n}.</p>", Published: Now.AddMinutes(n));

    static string Title(SentMessage m) => TelegramHtml.ToPlain(m.Text).Split('\n')[0];

    string Config(TestApp on, Uri url, int backfill = 100, params string[] chats) => on.WriteConfig(new
    {
        feeds = new[] { new { id = "pt", url, backfill, fullText = "never" } },
        channels = (chats.Length == 0 ? ["@desk"] : chats).Select((chat, i) => new { id = $"c{i}", chat }).ToArray(),
        rules = new[] { new { id = "kayani", channels = (chats.Length == 0 ? ["@desk"] : chats).Select((_, i) => $"c{i}").ToArray(), anyOf = new[] { "Kayani" } } },
    });

    Uri Serve(int from, int to) => app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", [.. Enumerable.Range(from, to - from + 1).Reverse().Select(Story)]));

    [Fact]
    public async Task A_run_that_loses_its_channel_lease_stops_sending_and_the_new_holder_sends_the_rest_once()
    {
        var config = Config(app, Serve(1, 30));
        app.Bot.SendDelay = TimeSpan.FromMilliseconds(50);
        var sweep = app.SweepAsync(config);
        var clock = Stopwatch.StartNew();
        while (app.Bot.Messages.Count < 5 && clock.Elapsed < TimeSpan.FromSeconds(20)) await Task.Delay(10);

        // Another run takes the channel over, as after an expiry: break the lease and hold it.
        var lockBlob = app.Containers.Feeds.GetBlobClient(BlobLeases.Channel("c0"));
        await lockBlob.GetBlobLeaseClient().BreakAsync(TimeSpan.Zero);
        var other = lockBlob.GetBlobLeaseClient();
        await other.AcquireAsync(TimeSpan.FromSeconds(60));
        await sweep;
        var sentByFirst = app.Bot.Messages.Count;
        await other.ReleaseAsync();

        // Before, the first run kept sending all 30 while the lease was someone else's.
        Assert.InRange(sentByFirst, 5, 7);
        Assert.Contains(app.Logs.Lines, l => l.Contains($"Lost the lease {BlobLeases.Channel("c0")}"));
        await app.Containers.Config.GetBlobClient("syndication.json").UploadAsync(BinaryData.FromString(File.ReadAllText(config)), overwrite: true);
        await app.Services.GetRequiredService<Sweeper>().DeliverPendingAsync(default);
        Assert.Equal(30, app.Bot.Messages.Count);
        Assert.Equal(30, app.Bot.Messages.Select(Title).Distinct().Count());
    }

    [Fact]
    public async Task The_two_timers_firing_together_never_skip_a_sweep_and_send_every_alert_once()
    {
        await using var timers = await TestApp.StartAsync(s => s["Syndication:ConfigPath"] = null);
        var url = timers.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Story(0)));
        var config = Config(timers, url, 100, "@desk", "@wire");
        await timers.Containers.EnsureCreatedAsync(default);
        await timers.Containers.Config.GetBlobClient("syndication.json").UploadAsync(BinaryData.FromString(File.ReadAllText(config)), overwrite: true);
        var sweeper = timers.Services.GetRequiredService<Sweeper>();

        var fetched = 0;
        for (var cycle = 1; cycle <= 30; cycle++)
        {
            timers.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", [.. Enumerable.Range(0, cycle + 1).Reverse().Select(Story)]));
            timers.Clock.Advance(TimeSpan.FromMinutes(5));
            // PollFeeds and DeliverPending fire in the same second, as their schedules make them do every five minutes.
            var poll = Task.Run(() => sweeper.RunAsync(null, dryRun: false, CancellationToken.None));
            var deliver = Task.Run(() => sweeper.DeliverPendingAsync(CancellationToken.None));
            await Task.WhenAll(poll, deliver);
            if ((await poll).FeedsFetched + (await deliver).FeedsFetched == 1) fetched++;
        }
        await sweeper.DeliverPendingAsync(default);

        Assert.Equal(30, fetched); // every cycle read the feed, once; before: 7 of 30 were skipped
        foreach (var chat in new[] { "@desk", "@wire" })
            Assert.Equal(31, timers.Bot.Messages.Where(m => m.ChatId == chat).Select(Title).Distinct().Count());
        Assert.Equal(62, timers.Bot.Messages.Count);
    }

    [Fact]
    public async Task A_stalling_feed_delays_no_other_feeds_alert_and_its_items_follow_in_later_sweeps()
    {
        await using var slow = await TestApp.StartAsync(s => { s["Syndication:FeedBudgetSeconds"] = "5"; s["Syndication:MaxConcurrentPerHost"] = "8"; });
        var pages = Enumerable.Range(1, 4).Select(i => slow.Feeds.Handle($"page-{i}", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body><article><p>General Kayani, long story {i}. {string.Join(' ', Enumerable.Repeat("More words here.", 80))}</p></article></body></html>");
        })).ToList();
        var teasers = slow.Feeds.Serve("teasers/", Rss.WordPress("Teasers", [.. pages.Select((page, i) => new Item($"Kayani teaser {i + 1}", page.ToString(), Description: "<p>Kayani.</p>", Published: Now.AddMinutes(-i)))]));
        var quick = slow.Feeds.Serve("quick/", Rss.WordPress("Quick", new Item("Kayani quick news", "https://news.example/quick", Description: "<p>Kayani.</p>", Published: Now)));
        var config = slow.WriteConfig(new
        {
            feeds = new object[] { new { id = "teasers", url = teasers, backfill = 100, fullText = "always" }, new { id = "quick", url = quick, backfill = 100, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });

        var clock = Stopwatch.StartNew();
        var sweep = slow.SweepAsync(config);
        while (!slow.Bot.Messages.Any(m => Title(m) == "Kayani quick news") && !sweep.IsCompleted) await Task.Delay(20);
        var quickAt = clock.Elapsed;
        var first = await sweep;
        var sweepTook = clock.Elapsed;

        Assert.True(quickAt < TimeSpan.FromSeconds(3), $"the quick feed's alert left at +{quickAt.TotalSeconds:0.0} s"); // before: after the slowest feed, +8 s
        Assert.True(sweepTook < TimeSpan.FromSeconds(10), $"the sweep took {sweepTook.TotalSeconds:0.0} s"); // budget 5 s, one page at most in flight past it
        var held = first.Feeds.Single(f => f.FeedId == "teasers");
        Assert.True(held.HeldBack > 0, "the teaser feed should have held items back");
        Assert.Contains("held for later sweeps (teasers: its 5 s budget ran out)", first.Summary);

        for (var i = 0; i < 5 && (await slow.BlobNamesAsync(slow.Containers.Articles)).Count < 5; i++) await slow.SweepAsync(config);
        Assert.Equal(5, (await slow.BlobNamesAsync(slow.Containers.Articles)).Count);
        Assert.Equal(5, slow.Bot.Messages.Count);
        Assert.Equal(5, slow.Bot.Messages.Select(Title).Distinct().Count());
    }

    [Fact]
    public async Task Feeds_not_started_before_the_sweeps_deadline_wait_for_the_next_sweep()
    {
        await using var late = await TestApp.StartAsync(s => { s["Syndication:SweepDeadlineSeconds"] = "1"; s["Syndication:MaxConcurrentFeeds"] = "1"; });
        var slow = late.Feeds.Handle("slow.xml", async context =>
        {
            await Task.Delay(TimeSpan.FromSeconds(2));
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Rss.WordPress("Slow", Story(1)));
        });
        var others = Enumerable.Range(2, 2).Select(n => late.Feeds.Serve($"f{n}.xml", Rss.WordPress($"Feed {n}", Story(n)))).ToList();
        var config = late.WriteConfig(new
        {
            feeds = new[] { new { id = "slow", url = slow, backfill = 5, fullText = "never" } }
                .Concat(others.Select((url, i) => new { id = $"f{i + 2}", url, backfill = 5, fullText = "never" })).ToArray(),
            channels = new[] { new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });

        var first = await late.SweepAsync(config);
        Assert.Equal(["f2", "f3"], first.Feeds.Where(f => f.Postponed).Select(f => f.FeedId));
        Assert.Contains("2 not started before the sweep's deadline", first.Summary);
        Assert.Contains(late.Logs.Lines, l => l.Contains("reached its 1 s deadline") && l.Contains("2 feeds were not started"));
        Assert.Single(late.Bot.Messages);

        // The feeds left behind go first next time, so a slow feed cannot starve them sweep after sweep.
        var second = await late.SweepAsync(config);
        Assert.DoesNotContain(second.Feeds, f => f.Postponed);
        Assert.Equal(3, late.Bot.Messages.Count);
    }

    [Fact]
    public async Task A_feed_with_more_new_items_than_a_sweep_takes_is_read_newest_first_over_several_sweeps()
    {
        await using var big = await TestApp.StartAsync(s => s["Syndication:MaxItemsPerFeed"] = "100");
        var url = big.Feeds.Serve("feed/", Rss.WordPress("Big", [.. Enumerable.Range(1, 250).Reverse().Select(Story)]));
        var config = Config(big, url, backfill: 5);

        var first = await big.SweepAsync(config);
        Assert.Equal(100, first.Feeds[0].NewArticles);
        Assert.Equal(150, first.Feeds[0].HeldBack);
        Assert.Equal(95, first.Feeds[0].HeldByBackfill);
        // The newest five, though the feed is read over three sweeps.
        Assert.Equal(["Kayani story 246", "Kayani story 247", "Kayani story 248", "Kayani story 249", "Kayani story 250"], big.Bot.Messages.Select(Title).Order());

        await big.SweepAsync(config);
        var third = await big.SweepAsync(config);
        Assert.Equal(50, third.Feeds[0].NewArticles);
        Assert.Equal(0, third.Feeds[0].HeldBack);
        Assert.Equal(250, (await big.BlobNamesAsync(big.Containers.Articles)).Count);
        Assert.Equal(5, big.Bot.Messages.Count); // backfill holds for the whole first read

        // Once read, a burst of 150 new stories is all news: every one alerts, newest first, over two sweeps.
        big.Feeds.Serve("feed/", Rss.WordPress("Big", [.. Enumerable.Range(1, 400).Reverse().Select(Story)]));
        var burst = await big.SweepAsync(config);
        Assert.Equal(100, burst.Feeds[0].NewArticles);
        await big.SweepAsync(config);
        Assert.Equal(155, big.Bot.Messages.Count);
        Assert.Equal(155, big.Bot.Messages.Select(Title).Distinct().Count());
        var unchanged = await big.SweepAsync(config);
        Assert.True(unchanged.Feeds[0].NotModified);
    }

    [Fact]
    public async Task A_crash_during_a_new_feeds_first_read_still_alerts_exactly_backfill_items()
    {
        var config = Config(app, Serve(1, 130), backfill: 100);
        app.Services.GetRequiredService<Failpoints>().Arm(Failpoint.ArticleStored, 60);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => app.SweepAsync(config));
        app.Services.GetRequiredService<Failpoints>().Disarm();
        await app.SweepAsync(config);
        await app.SweepAsync(config);

        Assert.Equal(100, app.Bot.Messages.Count); // before: 109 or 130
        Assert.Equal(Enumerable.Range(31, 100).Select(n => $"Kayani story {n}").Order(), app.Bot.Messages.Select(Title).Order());
        Assert.Equal(130, (await app.BlobNamesAsync(app.Containers.Articles)).Count);
    }

    [Fact]
    public async Task A_refused_token_stops_the_run_with_exit_1_and_no_alert_is_given_up()
    {
        var config = Config(app, Serve(1, 2));
        await using var wrong = await TestApp.StartAsync(s =>
        {
            s["Syndication:ContainerPrefix"] = app.ContainerPrefix;
            s["Telegram:ApiBaseUrl"] = app.Bot.BaseUrl;
            s["Telegram:BotToken"] = "4242:REVOKED-token-abcdefgh";
        });

        // The token is asked about (getMe) before the first story, so nothing is read, queued or given up on.
        var refused = await Assert.ThrowsAsync<TelegramTokenRefusedException>(() => wrong.SweepAsync(config));
        Assert.StartsWith("Telegram refused the bot token (401", refused.Message);
        Assert.Equal(0, app.Feeds.Hits("feed/"));
        Assert.Empty(app.Bot.Messages);

        var cli = await CliProcess.RunAsync(app, new() { ["Telegram__BotToken"] = "4242:REVOKED-token-abcdefgh" }, "run", "--config", config);
        Assert.Equal(1, cli.ExitCode);
        Assert.Contains("Telegram refused the bot token", cli.Errors);
        Assert.DoesNotContain("REVOKED-token", cli.Errors + cli.Output);
        Assert.DoesNotContain("   at ", cli.Errors);
        Assert.Equal(0, app.Feeds.Hits("feed/"));

        await app.SweepAsync(config); // the right token: both alerts go out, once
        Assert.Equal(2, app.Bot.Messages.Count);
        Assert.InRange(app.Bot.GetMeCalls, 0, 1); // once per process and token, not once per send

        // Before, a run with nothing to send never met the wrong token and exited 0.
        var idle = await CliProcess.RunAsync(app, new() { ["Telegram__BotToken"] = "4242:REVOKED-token-abcdefgh" }, "run", "--config", config);
        Assert.Equal(1, idle.ExitCode);
        Assert.Contains("Telegram refused the bot token", idle.Errors);
        Assert.Equal(2, app.Bot.Messages.Count);
    }

    [Fact]
    public async Task The_token_is_redacted_in_every_encoding_from_logs_reports_and_the_outbox()
    {
        var config = Config(app, Serve(1, 1));
        var encoded = Uri.EscapeDataString(FakeBotApi.Token);
        app.Bot.FailNext(1, 502, $"Bad Gateway: upstream https://api.example/bot{encoded}/sendMessage and {FakeBotApi.Token.ToUpperInvariant()}");

        var report = await app.SweepAsync(config);

        var stored = (await app.Containers.Outbox.GetBlobClient((await app.BlobNamesAsync(app.Containers.Outbox)).Single()).DownloadContentAsync()).Value.Content.ToString();
        foreach (var text in new[] { app.Logs.All, stored, report.Summary, string.Join('\n', report.Deliveries.Select(d => d.Error)) })
        {
            Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(encoded, text);
        }
        Assert.Contains("upstream https://api.example/bot4242%3A***/sendMessage", stored);
    }

    [Fact]
    public async Task A_send_whose_answer_is_lost_is_counted_as_uncertain_and_retried()
    {
        await using var lossy = await TestApp.StartAsync(s => s["Telegram:TimeoutSeconds"] = "1");
        var config = Config(lossy, lossy.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Story(1))));
        lossy.Bot.LoseAnswers(1);

        var first = await lossy.SweepAsync(config);
        Assert.Contains("(1 uncertain: sent but unanswered, so possibly shown twice)", first.Summary);
        Assert.Contains(lossy.Logs.Lines, l => l.Contains("the answer was lost") && l.Contains("may have delivered it"));

        await lossy.SweepAsync(config);
        // Telegram showed it, and the retry shows it again: the one duplicate the Bot API cannot rule out, now counted.
        Assert.Equal(2, lossy.Bot.Messages.Count);
        Assert.Empty(await lossy.BlobNamesAsync(lossy.Containers.Outbox));
    }

    [Fact]
    public async Task Short_flood_waits_are_bounded_per_alert_then_the_alert_waits_for_a_later_run()
    {
        var config = Config(app, Serve(1, 1));
        app.Bot.FailNext(10, 429, "Too Many Requests: retry after 1", new JsonObject { ["retry_after"] = 1 });

        var sweep = app.SweepAsync(config);
        while (!sweep.IsCompleted)
        {
            await Task.Delay(20);
            app.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }
        var report = await sweep;

        Assert.Equal(1 + SendDecision.MaxShortWaits, app.Bot.Attempts.Count); // before: 10 attempts, and as many as Telegram asked
        Assert.Equal(1, report.Count(DeliveryStatus.Deferred));
        Assert.Contains("(1 deferred by flood control)", report.Summary);
    }
}
