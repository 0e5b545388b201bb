using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Delivery;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Delivery under injected faults: outages, flood control, refused chats, migrations. Nothing lost, nothing twice.</summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class DeliveryTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync()
    {
        // In every scenario here, the token must appear nowhere an operator or a log pipeline could see it.
        Assert.DoesNotContain(FakeBotApi.Token, app.Logs.All);
        Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], app.Logs.All);
        await app.DisposeAsync();
    }

    /// <summary>A feed of <paramref name="count"/> Kayani stories, oldest last, and a rule sending them to each chat.</summary>
    string Setup(int count, params string[] chats) => SetupWithEditors(count, null, chats);

    string SetupWithEditors(int count, string? alertsChat, params string[] chats)
    {
        var items = Enumerable.Range(1, count)
            .Select(i => new Item($"Kayani story {i}", $"https://news.example/{i}", Description: $"<p>General Kayani, part {i}.</p>", Published: Now.AddMinutes(i)))
            .Reverse().ToArray();
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", items));
        var feeds = new[] { new { id = "pt", url, backfill = 100, fullText = "never" } };
        var channels = chats.Select((chat, i) => new { id = $"c{i}", chat }).ToArray();
        var rules = new[] { new { id = "kayani", channels = chats.Select((_, i) => $"c{i}").ToArray(), anyOf = new[] { "Kayani" } } };
        return alertsChat is null
            ? app.WriteConfig(new { feeds, channels, rules })
            : app.WriteConfig(new { alerts = new { chat = alertsChat }, feeds, channels, rules });
    }

    static string Title(SentMessage m) => TelegramHtml.ToPlain(m.Text).Split('\n')[0];

    /// <summary>Runs a sweep while moving the clock, for sweeps that sleep through a short flood wait.</summary>
    async Task<SweepReport> SweepWithRunningClockAsync(string config)
    {
        var sweep = app.SweepAsync(config);
        while (!sweep.IsCompleted)
        {
            await Task.Delay(20);
            app.Clock.Advance(TimeSpan.FromMilliseconds(500));
        }
        return await sweep;
    }

    [Fact]
    public async Task A_templated_message_Telegram_refuses_for_its_entities_goes_once_in_the_built_in_layout()
    {
        var items = new[] { new Item("Kayani story", "https://news.example/1", Description: "<p>General Kayani.</p>", Published: Now) };
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", items));
        var config = app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 10, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@desk", template = "<i>{{ title }}</i>\n{{ link }}" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        // Telegram's own word on HTML it will not take, whatever this app's check thought of it.
        app.Bot.FailNext(1, 400, "Bad Request: can't parse entities: unsupported start tag \"i\" at byte offset 0");

        var report = await app.SweepAsync(config);

        Assert.Equal(1, report.Count(DeliveryStatus.Sent));
        var sent = Assert.Single(app.Bot.Messages);
        Assert.StartsWith("<b>Kayani story</b>\nPakistan Today · ", sent.Text); // the built-in layout
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Warning") && l.Contains("Telegram refused the message its template made") && l.Contains("sent in the built-in layout instead"));
        Assert.Empty(await app.BlobNamesAsync(app.Containers.DeadLetter));
    }

    [Fact]
    public async Task An_outage_of_three_sweeps_then_recovery_delivers_everything_once_in_order()
    {
        var config = Setup(5, "@desk_alerts");
        app.Bot.FailNext(3, 502, "Bad Gateway");

        var reports = new List<SweepReport>();
        for (var i = 0; i < 5; i++) reports.Add(await app.SweepAsync(config));

        Assert.Equal(["Kayani story 1", "Kayani story 2", "Kayani story 3", "Kayani story 4", "Kayani story 5"], app.Bot.Messages.Select(Title));
        Assert.Equal(3 + 5, app.Bot.Attempts.Count); // one attempt per failed sweep: the channel waits behind its first alert
        Assert.All(reports.Take(3), r => Assert.Equal(1, r.Count(DeliveryStatus.Retrying)));
        Assert.All(reports.Take(3), r => Assert.Equal(4, r.Count(DeliveryStatus.Waiting)));
        Assert.Equal(5, reports[3].Count(DeliveryStatus.Sent));
        Assert.Empty(reports[4].Deliveries);
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task A_short_flood_wait_is_slept_through_and_a_long_one_defers_until_its_time()
    {
        var config = Setup(2, "@desk_alerts");
        app.Bot.FailNext(1, 429, "Too Many Requests: retry after 1", new JsonObject { ["retry_after"] = 1 });

        var first = await SweepWithRunningClockAsync(config);
        Assert.Equal(2, first.Count(DeliveryStatus.Sent));

        // A second feed item arrives; this time Telegram asks for an hour.
        var config2 = Setup(3, "@desk_alerts");
        app.Bot.FailNext(1, 429, "Too Many Requests: retry after 3600", new JsonObject { ["retry_after"] = 3600 });
        var deferred = await app.SweepAsync(config2);
        var stillWaiting = await app.SweepAsync(config2);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var delivered = await app.SweepAsync(config2);

        Assert.Equal(1, deferred.Count(DeliveryStatus.Deferred));
        Assert.Equal(1, stillWaiting.Count(DeliveryStatus.Deferred));
        Assert.Equal(1, delivered.Count(DeliveryStatus.Sent));
        Assert.Equal(["Kayani story 1", "Kayani story 2", "Kayani story 3"], app.Bot.Messages.Select(Title));
        Assert.Equal(5, app.Bot.Attempts.Count); // 2 + the first 429 retried once + 1 deferred + 1 delivered
    }

    [Fact]
    public async Task A_channel_waiting_on_flood_control_reads_the_alert_it_waits_on_not_its_whole_backlog()
    {
        var config = Setup(40, "@desk_alerts");
        app.Bot.FailNext(1, 429, "Too Many Requests: retry after 3600", new JsonObject { ["retry_after"] = 3600 });
        var deferred = await app.SweepAsync(config);
        Assert.Equal(40, deferred.Count(DeliveryStatus.Deferred)); // the first, and the 39 behind it

        // The next sweep finds the feed unchanged and the channel still deferred: one listing says what waits, one read
        // says until when; the other 39 alerts are not read (every one was, before).
        var waiting = await app.SweepAsync(config);

        Assert.Equal(40, waiting.Count(DeliveryStatus.Deferred) + waiting.Count(DeliveryStatus.Waiting));
        Assert.InRange(waiting.Storage.Reads, 1, 12); // the alert it waits on, the queues looked at; not the 40 waiting
        Assert.Single(app.Bot.Attempts);
    }

    [Fact]
    public async Task A_chat_that_is_gone_fails_alone_and_its_alerts_are_dead_lettered_with_the_reason()
    {
        var config = Setup(2, "@desk_alerts", "@gone_channel", "-1001234567890");
        app.Bot.RejectChat("@gone_channel");

        var report = await app.SweepAsync(config);
        var next = await app.SweepAsync(config);

        Assert.Equal(4, app.Bot.Messages.Count);
        Assert.DoesNotContain(app.Bot.Messages, m => m.ChatId == "@gone_channel");
        Assert.Equal(1, app.Bot.Attempts.Count(a => a == "@gone_channel")); // the second alert is not tried against a gone chat
        var (channel, reason) = Assert.Single(report.FailingChannels);
        Assert.Equal("c1", channel);
        Assert.Contains("chat not found", reason);
        Assert.Equal(2, report.Count(DeliveryStatus.Rejected));
        Assert.Contains("(2 dead-lettered: 2 refused by Telegram)", report.Summary);
        Assert.Equal(2, (await app.BlobNamesAsync(app.Containers.DeadLetter)).Count);
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
        Assert.Empty(next.Deliveries);
    }

    [Fact]
    public async Task A_rejected_message_is_dead_lettered_and_the_channels_next_alert_still_goes()
    {
        var config = Setup(2, "@desk_alerts");
        app.Bot.FailNext(1, 400, "Bad Request: can't parse entities: unsupported start tag \"x\" at byte offset 0");

        var report = await app.SweepAsync(config);

        Assert.Equal(["Kayani story 2"], app.Bot.Messages.Select(Title));
        Assert.Equal(1, report.Count(DeliveryStatus.Rejected));
        Assert.Empty(report.FailingChannels);
        var dead = Assert.Single(await app.BlobNamesAsync(app.Containers.DeadLetter));
        var letter = JsonNode.Parse((await app.Containers.DeadLetter.GetBlobClient(dead).DownloadContentAsync()).Value.Content.ToString())!;
        Assert.Contains("can't parse entities", letter["reason"]!.GetValue<string>());
        Assert.Equal("c0", letter["entry"]!["channelId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_group_that_became_a_supergroup_is_followed_and_reported()
    {
        var config = Setup(2, "-4001234567");
        app.Bot.FailNext(1, 400, "Bad Request: group chat was upgraded to a supergroup chat", new JsonObject { ["migrate_to_chat_id"] = -1009876543210 });

        var report = await app.SweepAsync(config);

        Assert.Equal(2, report.Count(DeliveryStatus.Sent));
        Assert.All(app.Bot.Messages, m => Assert.Equal("-1009876543210", m.ChatId));
        Assert.Contains(app.Logs.Lines, l => l.Contains("became supergroup -1009876543210") && l.Contains("Update the channel's chat"));
    }

    [Fact]
    public async Task Transient_failures_are_retried_for_the_retry_period_then_dead_lettered()
    {
        var config = Setup(1, "@desk_alerts");
        app.Bot.FailNext(1000, 503, "Service Unavailable");

        var first = await app.SweepAsync(config);
        app.Clock.Advance(TimeSpan.FromHours(12));
        var midway = await app.SweepAsync(config);
        app.Clock.Advance(TimeSpan.FromHours(12));
        var last = await app.SweepAsync(config);

        Assert.Equal(DeliveryStatus.Retrying, Assert.Single(first.Deliveries).Status);
        Assert.Equal(DeliveryStatus.Retrying, Assert.Single(midway.Deliveries).Status);
        Assert.Equal(DeliveryStatus.DeadLettered, Assert.Single(last.Deliveries).Status);
        Assert.Single(await app.BlobNamesAsync(app.Containers.DeadLetter));
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task DeliverPending_sends_what_waits_without_fetching_feeds()
    {
        var config = Setup(1, "@desk_alerts");
        await app.Containers.Config.CreateIfNotExistsAsync();
        await app.Containers.Config.UploadBlobAsync("syndication.json", BinaryData.FromString(File.ReadAllText(config)));
        app.Bot.FailNext(1, 502, "Bad Gateway");
        await app.SweepAsync(config);
        var fetches = app.Feeds.UserAgents.Count;

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await new Syndication.Functions.DeliverPending(app.Services.GetRequiredService<Sweeper>())
            .RunAsync(new Microsoft.Azure.Functions.Worker.TimerInfo(), CancellationToken.None);
        Assert.Empty(app.Bot.Messages); // the timer only wakes the channel: the queue trigger sends
        Assert.Equal(1, await app.RunQueueTriggersAsync());

        Assert.Equal(["Kayani story 1"], app.Bot.Messages.Select(Title));
        Assert.Equal(fetches, app.Feeds.UserAgents.Count);
    }

    [Fact]
    public async Task Alerts_to_many_channels_go_out_side_by_side()
    {
        var chats = Enumerable.Range(0, 10).Select(i => $"@channel_{i:00}").ToArray();
        var config = Setup(3, chats);

        var report = await app.SweepAsync(config);

        Assert.Equal(30, report.Count(DeliveryStatus.Sent));
        foreach (var chat in chats)
            Assert.Equal(["Kayani story 1", "Kayani story 2", "Kayani story 3"], app.Bot.Messages.Where(m => m.ChatId == chat).Select(Title));
    }

    [Theory]
    [InlineData(Failpoint.ArticleStored, 1)]     // after the second article is stored
    [InlineData(Failpoint.AlertQueued, 2)]       // after three alerts are queued: an article half queued, not stored
    [InlineData(Failpoint.DeliveryRecorded, 3)]  // in the middle of a batch of sends
    [InlineData(Failpoint.MessageSent, 2)]       // after Telegram accepted the third message, before its record
    public async Task A_crash_at_any_step_loses_nothing_and_duplicates_only_inside_the_documented_window(Failpoint point, int after)
    {
        var config = Setup(3, "@desk_alerts", "-1001234567890");
        app.Services.GetRequiredService<Failpoints>().Arm(point, after);

        await Assert.ThrowsAsync<SimulatedCrashException>(() => app.SweepAsync(config));
        app.Services.GetRequiredService<Failpoints>().Disarm();
        await app.SweepAsync(config);
        var last = await app.SweepAsync(config);

        var copies = app.Bot.Messages.GroupBy(m => (m.ChatId, Title(m))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(6, copies.Count); // every alert arrived
        var duplicates = copies.Values.Sum(c => c - 1);
        Assert.Equal(point == Failpoint.MessageSent ? 1 : 0, duplicates);
        Assert.Empty(last.Deliveries);
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
        Assert.Equal(3, (await app.BlobNamesAsync(app.Containers.Articles)).Count);
    }

    [Fact]
    public async Task Editors_are_told_once_when_a_channel_fails_and_once_when_it_recovers_and_status_shows_it()
    {
        var config = SetupWithEditors(1, "@editors_room", "@desk_alerts", "@gone_channel");
        app.Bot.RejectChat("@gone_channel");

        await app.SweepAsync(config);
        await app.SweepAsync(SetupWithEditors(2, "@editors_room", "@desk_alerts", "@gone_channel"));
        var status = await CliProcess.RunAsync(app, [], "status", "--config", config, "--json");
        app.Bot.AcceptChat("@gone_channel");
        await app.SweepAsync(SetupWithEditors(3, "@editors_room", "@desk_alerts", "@gone_channel"));
        await app.SweepAsync(SetupWithEditors(3, "@editors_room", "@desk_alerts", "@gone_channel"));

        var editors = app.Bot.Messages.Where(m => m.ChatId == "@editors_room").Select(m => TelegramHtml.ToPlain(m.Text)).ToList();
        Assert.Equal(2, editors.Count);
        Assert.StartsWith("⚠️ Channel c1 (@gone_channel) cannot receive alerts: Telegram answered 400: Bad Request: chat not found.", editors[0]);
        Assert.Equal("✅ Channel c1 (@gone_channel) receives alerts again.", editors[1]);
        Assert.Equal(["Kayani story 3"], app.Bot.Messages.Where(m => m.ChatId == "@gone_channel").Select(Title));

        Assert.Equal(0, status.ExitCode);
        var json = JsonNode.Parse(status.Output)!;
        var gone = json["channels"]!.AsArray().Single(c => c!["channelId"]!.GetValue<string>() == "c1")!;
        Assert.Equal(2, gone["deadLetters"]!.GetValue<int>());
        Assert.Contains("chat not found", gone["failing"]!["reason"]!.GetValue<string>());
        var feed = json["feeds"]!.AsArray().Single()!;
        Assert.Equal(2, feed["articlesStored"]!.GetValue<int>());
        Assert.Equal(0, feed["consecutiveFailures"]!.GetValue<int>());
    }
}
