using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Settings;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The queues as Azure runs them: several consumers share a cycle's batches, a consumer that dies loses nothing, a
/// message that keeps failing is set aside with its reason, and the scheduler's plan is a plain function.
/// </summary>
public sealed class ScaleOutTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    readonly List<FeedServer> sites = [];
    TestApp app = null!;

    static void Settings(Dictionary<string, string?> s)
    {
        s["Syndication:FeedsPerBatch"] = "5";
        s["Syndication:StateShards"] = "256";
    }

    public async Task InitializeAsync() => app = await TestApp.StartAsync(Settings);

    public async Task DisposeAsync()
    {
        foreach (var site in sites) await site.DisposeAsync();
        await app.DisposeAsync();
    }

    static string Title(SentMessage m) => TelegramHtml.ToPlain(m.Text).Split('\n')[0];

    /// <summary>Feeds on several sites (each its own loopback server, so its own shard), two Kayani stories each.</summary>
    async Task<(string Config, List<(FeedServer Site, string Path)> Feeds)> SitesAsync(int count, int feedsPerSite)
    {
        var feeds = new List<(FeedServer, string)>();
        var definitions = new List<object>();
        for (var s = 0; s < count; s++)
        {
            var site = await FeedServer.StartAsync();
            sites.Add(site);
            for (var f = 0; f < feedsPerSite; f++)
            {
                var path = $"feed-{f}.xml";
                var url = site.Serve(path, Rss.WordPress($"Site {s}", [.. Enumerable.Range(1, 2).Select(n =>
                    new Item($"Kayani story {s}-{f}-{n}", $"https://site{s}.example/{f}/{n}", Description: "<p>General Kayani.</p>", Published: Now.AddMinutes(-n)))]));
                feeds.Add((site, path));
                definitions.Add(new { id = $"s{s}-f{f}", url, backfill = 10, fullText = "never" });
            }
        }
        var config = app.WriteConfig(new
        {
            feeds = definitions,
            channels = new[] { new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        return (config, feeds);
    }

    [Fact]
    public async Task Two_consumers_on_one_queue_read_every_feed_once_and_send_every_alert_once()
    {
        var (config, feeds) = await SitesAsync(6, 5);
        // A second instance: same storage, same Bot API, its own process-wide state.
        await using var second = await TestApp.StartAsync(s =>
        {
            Settings(s);
            s["Syndication:ContainerPrefix"] = app.ContainerPrefix;
            s["Telegram:ApiBaseUrl"] = app.Bot.BaseUrl;
        });
        var (schedule, _) = await app.Services.GetRequiredService<Sweeper>().ScheduleAsync(config, CancellationToken.None);
        var parsed = await ConfigSource.LoadFileAsync(config, CancellationToken.None);

        var worked = await Task.WhenAll(
            Task.Run(() => app.Services.GetRequiredService<QueueRunner>().WorkAsync(parsed, workFor: null, alone: false, CancellationToken.None)),
            Task.Run(() => second.Services.GetRequiredService<QueueRunner>().WorkAsync(parsed, workFor: null, alone: false, CancellationToken.None)));

        Assert.InRange(schedule.Batches.Count, 3, 6); // whole sites, about five feeds a batch
        Assert.All(feeds, f => Assert.Equal(1, f.Site.Hits(f.Path))); // no feed fetched twice
        var read = worked.SelectMany(w => w.Feeds).Select(f => f.FeedId).ToList();
        Assert.Equal(30, read.Count);
        Assert.Equal(30, read.Distinct().Count());
        Assert.Equal(60, app.Bot.Messages.Count);
        Assert.Equal(60, app.Bot.Messages.Select(Title).Distinct().Count());
        Assert.Empty(second.Bot.Messages);
    }

    [Fact]
    public async Task Two_consumers_and_schedule_share_a_300_feed_cycle_on_10_sites_with_the_shipped_defaults()
    {
        // The shipped settings and host.json's queue settings: nothing lowered by hand.
        await using var first = await TestApp.StartAsync();
        await using var second = await TestApp.StartAsync(s => s["Syndication:ContainerPrefix"] = first.ContainerPrefix);
        var definitions = new List<object>();
        var served = new List<(FeedServer Site, string Path)>();
        for (var s = 0; s < 10; s++)
        {
            var site = await FeedServer.StartAsync();
            sites.Add(site);
            for (var f = 0; f < 30; f++)
            {
                var path = $"feed-{f}.xml";
                var body = Rss.WordPress($"Site {s}", new Item($"Story {s}-{f}", $"https://site{s}.example/{f}", Published: Now));
                // A little latency, as a real site has: no batch is done before both consumers have asked for work.
                var url = site.Handle(path, async context =>
                {
                    await Task.Delay(20);
                    context.Response.ContentType = "application/rss+xml; charset=utf-8";
                    await context.Response.WriteAsync(body);
                });
                served.Add((site, path));
                definitions.Add(new { id = $"s{s}-f{f}", url, backfill = 0 });
            }
        }
        var config = first.WriteConfig(new { feeds = definitions, channels = Array.Empty<object>(), rules = Array.Empty<object>() });
        var parsed = await ConfigSource.LoadFileAsync(config, CancellationToken.None);

        var (schedule, _) = await first.Services.GetRequiredService<Sweeper>().ScheduleAsync(config, CancellationToken.None);
        var worked = await Task.WhenAll(
            Task.Run(() => first.Services.GetRequiredService<QueueRunner>().WorkAsync(parsed, workFor: null, alone: false, CancellationToken.None)),
            Task.Run(() => second.Services.GetRequiredService<QueueRunner>().WorkAsync(parsed, workFor: null, alone: false, CancellationToken.None)));

        // More batches than one instance takes at once, so the second always has some.
        Assert.InRange(schedule.Batches.Count, QueueRunner.BatchesPerInstance + 1, 2 * QueueRunner.BatchesPerInstance);
        Assert.All(worked, w => Assert.NotEmpty(w.Feeds));
        Assert.All(served, f => Assert.Equal(1, f.Site.Hits(f.Path)));
        Assert.Equal(300, worked.SelectMany(w => w.Feeds).Select(f => f.FeedId).Distinct().Count());
        Assert.Equal(300, worked.Sum(w => w.Feeds.Count));
    }

    [Fact]
    public async Task A_consumer_killed_mid_batch_loses_nothing_and_sends_nothing_twice()
    {
        var site = await FeedServer.StartAsync();
        sites.Add(site);
        var stall = new TaskCompletionSource();
        var fast = site.Serve("fast.xml", Rss.WordPress("Fast", [.. Enumerable.Range(1, 3).Select(n => new Item($"Kayani fast {n}", $"https://fast.example/{n}", Description: "<p>Kayani.</p>", Published: Now.AddMinutes(-n)))]));
        var slowBody = Rss.WordPress("Slow", [.. Enumerable.Range(1, 3).Select(n => new Item($"Kayani slow {n}", $"https://slow.example/{n}", Description: "<p>Kayani.</p>", Published: Now.AddMinutes(-n)))]);
        var slow = site.Handle("slow.xml", async context =>
        {
            await stall.Task; // hangs until the test lets it answer
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(slowBody);
        });
        var config = app.WriteConfig(new
        {
            feeds = new[] { new { id = "fast", url = fast, backfill = 10, fullText = "never" }, new { id = "slow", url = slow, backfill = 10, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        await app.Services.GetRequiredService<Sweeper>().ScheduleAsync(config, CancellationToken.None);

        // A real consumer process takes the one batch (both feeds are on one site), sends the fast feed's alerts while
        // the slow feed hangs, and is killed there: no state written for the batch, no finally run.
        using var consumer = CliProcess.Start(app, new() { ["Syndication__QueueVisibilitySeconds"] = "5" }, "work", "--for", "120s", "--config", config);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (app.Bot.Messages.Count < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.Equal(3, app.Bot.Messages.Count);
        // Killed once its drain of the channel has ended (a consumer killed mid-drain holds the channel's lease for up to
        // a minute, and the alerts behind it wait that long): the batch itself is still under way.
        var lease = app.Containers.Feeds.GetBlobClient(BlobLeases.Channel("desk"));
        while ((await lease.GetPropertiesAsync()).Value.LeaseState != Azure.Storage.Blobs.Models.LeaseState.Available && DateTime.UtcNow < deadline) await Task.Delay(50);
        consumer.Kill(entireProcessTree: true);
        await consumer.WaitForExitAsync();
        stall.SetResult();

        // Its batch comes back when its hidden time (5 s) runs out, and the next run works it to the end.
        var batches = app.Services.GetRequiredService<WorkQueues>().Feeds;
        var back = System.Diagnostics.Stopwatch.StartNew();
        while ((await batches.PeekMessagesAsync()).Value.Length == 0 && back.Elapsed < TimeSpan.FromSeconds(60)) await Task.Delay(200);
        Assert.Single((await batches.PeekMessagesAsync()).Value);
        var next = await app.SweepAsync(config);

        Assert.Equal(6, app.Bot.Messages.Count);
        Assert.Equal(6, app.Bot.Messages.Select(Title).Distinct().Count());
        Assert.Contains(next.Feeds, f => f.FeedId == "slow" && f.NewArticles == 3);
    }

    [Fact]
    public async Task A_message_that_is_not_a_batch_is_set_aside_at_once_and_status_shows_why()
    {
        var (config, _) = await SitesAsync(1, 2);
        var queues = app.Services.GetRequiredService<WorkQueues>();
        await app.Services.GetRequiredService<Sweeper>().ScheduleAsync(config, CancellationToken.None);
        await queues.Feeds.SendMessageAsync("{\"feeds\": \"not a list\"}");

        var worked = await app.Services.GetRequiredService<QueueRunner>().WorkAsync(await ConfigSource.LoadFileAsync(config, default), workFor: null, alone: true, CancellationToken.None);

        Assert.Equal(4, worked.Deliveries.Count(d => d.Status == Delivery.DeliveryStatus.Sent)); // the batch beside it was worked: the bad message stopped nothing
        var status = await app.Services.GetRequiredService<StatusReader>().ReadAsync(await ConfigSource.LoadFileAsync(config, default), default);
        var poisoned = Assert.Single(status.Poisoned);
        Assert.Equal(queues.Feeds.Name, poisoned.Queue);
        Assert.Contains("is not a work item", poisoned.Reason);
        Assert.Equal("{\"feeds\": \"not a list\"}", poisoned.Message);
        Assert.Equal(1, status.PoisonedCount);
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error") && l.Contains("was set aside in"));
    }

    [Theory]
    [InlineData("feeds")]
    [InlineData("deliveries")]
    public async Task A_message_that_is_not_base64_is_set_aside_and_the_runs_after_it_fetch_and_send(string which)
    {
        var (config, _) = await SitesAsync(1, 2);
        var queues = app.Services.GetRequiredService<WorkQueues>();
        await queues.EnsureCreatedAsync(default);
        var queue = which == "feeds" ? queues.Feeds : queues.Deliveries;
        // Written by hand or by a tool that does not encode: the client that reads it expects base64, as the host does.
        await new Azure.Storage.Queues.QueueClient(Azurite.ConnectionString, queue.Name).SendMessageAsync("{not base64: ~~~}");

        // Before: every run threw FormatException from the receive, and the scheduler saw a busy queue and queued nothing.
        var first = await app.SweepAsync(config);
        var second = await app.SweepAsync(config);

        Assert.Equal(4, first.Count(Delivery.DeliveryStatus.Sent) + second.Count(Delivery.DeliveryStatus.Sent));
        Assert.Equal(4, app.Bot.Messages.Count);
        var status = await app.Services.GetRequiredService<StatusReader>().ReadAsync(await ConfigSource.LoadFileAsync(config, default), default);
        var poisoned = Assert.Single(status.Poisoned);
        Assert.Equal(queue.Name, poisoned.Queue);
        Assert.Contains("is not base64", poisoned.Reason);
        Assert.Equal("{not base64: ~~~}", poisoned.Message);
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error") && l.Contains($"A message on queue {queue.Name} is not base64 and was set aside"));
    }

    [Fact]
    public async Task A_batch_that_fails_every_attempt_is_set_aside_on_its_last_with_its_reason()
    {
        var queues = app.Services.GetRequiredService<WorkQueues>();
        await app.Containers.EnsureCreatedAsync(default);
        await queues.EnsureCreatedAsync(default);
        // The live configuration is broken: every attempt at the batch fails on it, as the host would see.
        await app.Containers.Config.UploadBlobAsync("syndication.json", BinaryData.FromString("{\"feeds\": [{\"id\": \"pt\"}]"));
        var batch = WorkMessages.Write(new FeedBatch(Now, [1], ["pt"]));
        var function = new Syndication.Functions.WorkFeeds(app.Services.GetRequiredService<Sweeper>());

        for (var attempt = 1; attempt < WorkQueues.MaxDequeueCount; attempt++)
            await Assert.ThrowsAsync<ConfigException>(() => function.RunAsync(batch, attempt, CancellationToken.None));
        await function.RunAsync(batch, WorkQueues.MaxDequeueCount, CancellationToken.None); // the last: set aside, not thrown

        var (poisoned, count) = await app.Services.GetRequiredService<QueueWork>().ReadPoisonAsync(default);
        Assert.Equal(1, count);
        var message = Assert.Single(poisoned);
        Assert.Equal(batch, message.Message);
        Assert.Equal(WorkQueues.MaxDequeueCount, message.Attempts);
        Assert.StartsWith("ConfigException: ", message.Reason);
    }

    static SyndicationConfig Feeds(params (string Id, string Url)[] feeds) =>
        new([.. feeds.Select(f => new FeedDefinition(f.Id, new Uri(f.Url), 5, null))], [], []);

    [Fact]
    public void The_plan_takes_shards_never_read_or_due_whole_and_packs_them_up_to_the_batch_size()
    {
        var config = Feeds([.. Enumerable.Range(0, 12).Select(i => ($"f{i}", $"https://site{i % 4}.example/feed{i}.xml"))]);

        var plan = Scheduler.Plan(config, new Dictionary<int, ShardSummary>(), shardCount: 64, new BatchSizing(FeedsPerBatch: 5, SitesPerBatch: 100, Spread: 1), Now);

        Assert.Equal(config.Feeds.Select(f => f.Id).Order(), plan.SelectMany(b => b.Feeds).Order());
        // Whole sites: a site's three feeds are never split between batches.
        foreach (var site in config.Feeds.GroupBy(f => f.Url.Host))
            Assert.Single(plan, b => b.Feeds.Contains(site.First().Id) && site.All(f => b.Feeds.Contains(f.Id)));
        Assert.All(plan, b => Assert.InRange(b.Feeds.Count, 3, 6));
        Assert.All(plan, b => Assert.Equal(Now, b.ScheduledAt));
    }

    static SyndicationConfig OnSites(int feeds, int sites) =>
        Feeds([.. Enumerable.Range(0, feeds).Select(i => ($"f{i}", $"https://site{i % sites}.example/feed{i}.xml"))]);

    [Theory]
    [InlineData(300, 10, 5)]      // every site's share of one instance's slots: 10 sites, 2 a batch
    [InlineData(40, 1, 1)]        // one site is one batch, however many feeds it has
    [InlineData(1_000, 1_000, 8)] // many sites, few feeds: enough for two instances, no more
    [InlineData(10_000, 100, 32)] // many feeds: 250 a batch, but never more batches than shards
    public void The_shipped_sizing_cuts_a_cycle_so_instances_share_it_and_keeps_each_site_whole(int feeds, int siteCount, int batches)
    {
        var config = OnSites(feeds, siteCount);
        var sizing = BatchSizing.From(new SyndicationOptions());

        var plan = Scheduler.Plan(config, new Dictionary<int, ShardSummary>(), 32, sizing, Now);

        Assert.Equal(batches, plan.Count);
        Assert.Equal(config.Feeds.Select(f => f.Id).Order(), plan.SelectMany(b => b.Feeds).Order());
        foreach (var site in config.Feeds.GroupBy(f => f.Url.Host))
            Assert.Single(plan, b => site.All(f => b.Feeds.Contains(f.Id)));
        // Heaviest shard first to the lightest batch: no batch is heavier than another by more than one shard.
        var largestShard = config.Feeds.GroupBy(f => FeedShards.Of(f, 32)).Max(g => g.Count());
        Assert.InRange(plan.Max(b => b.Feeds.Count) - plan.Min(b => b.Feeds.Count), 0, largestShard);
    }

    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 1)]
    [InlineData(300, 10, 5)]
    [InlineData(300, 3, 2)]
    [InlineData(1_000, 1_000, 8)]
    [InlineData(10_000, 100, 40)]
    [InlineData(100_000, 1_000, 400)]
    public void Batches_are_as_many_as_the_sites_fill_up_to_two_instances_or_as_the_feeds_need(int feeds, int sites, int batches) =>
        Assert.Equal(batches, new BatchSizing(FeedsPerBatch: 250, SitesPerBatch: 2, Spread: 8).Batches(feeds, sites));

    [Fact]
    public void A_shard_is_skipped_only_while_every_feed_in_it_waits_and_no_feed_was_added()
    {
        var config = Feeds(("a", "https://one.example/a.xml"), ("b", "https://one.example/b.xml"));
        var shard = FeedShards.Of(config.Feeds[0], 64);
        var written = FeedStateStore.FeedSetHash(["a", "b"]);
        IReadOnlyList<FeedBatch> PlanWith(ShardSummary summary, SyndicationConfig? with = null) =>
            Scheduler.Plan(with ?? config, new Dictionary<int, ShardSummary> { [shard] = summary }, 64, new BatchSizing(100, 100, 1), Now);

        Assert.Empty(PlanWith(new ShardSummary(shard, Now.AddMinutes(10), written)));            // both wait
        Assert.Single(PlanWith(new ShardSummary(shard, Now.AddMinutes(-1), written)));           // one is due
        Assert.Single(PlanWith(new ShardSummary(shard, null, written)));                         // one is due every cycle
        var added = Feeds(("a", "https://one.example/a.xml"), ("b", "https://one.example/b.xml"), ("c", "https://one.example/c.xml"));
        Assert.Equal(["a", "b", "c"], Assert.Single(PlanWith(new ShardSummary(shard, Now.AddMinutes(10), written), added)).Feeds); // c was never read
    }
}
