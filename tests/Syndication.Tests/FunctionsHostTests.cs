using System.Text.Json;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The built Functions worker, launched as a process and driven over the Functions host's own gRPC protocol
/// (<see cref="FunctionsHost"/>): what Azure does with the deployed package, short of Azure's timers and identity.
/// </summary>
public sealed class FunctionsHostTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>The settings an Azure deployment gives the app (storage, token, Bot API, schedules), pointed at the test's servers.</summary>
    Dictionary<string, string?> DeployedSettings()
    {
        var settings = new Dictionary<string, string?>(app.ProcessSettings())
        {
            ["AzureWebJobsStorage"] = app.Settings["ArticleStorage"],
            ["PollSchedule"] = "0 */5 * * * *",
            ["DeliverSchedule"] = "0 * * * * *",
            ["FeedQueue"] = app.ContainerPrefix + "feed-batches",
            ["DeliveryQueue"] = app.ContainerPrefix + "deliveries",
        };
        return settings;
    }

    /// <summary>Publishes a configuration the way editors do in Azure: the config blob in article storage; with Ayesha (111111111) as its editor if asked.</summary>
    async Task PublishConfigAsync(Uri feed, int backfill = 5, bool editor = false)
    {
        var config = JsonSerializer.Serialize(new
        {
            feeds = new[] { new { id = "pt", url = feed, backfill } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
            editors = editor ? new[] { new { user = 111111111L, name = "Ayesha" } } : [],
        });
        await app.Containers.Config.CreateIfNotExistsAsync();
        await app.Containers.Config.UploadBlobAsync("syndication.json", BinaryData.FromString(config));
    }

    Uri ServeStories(int count, DateTimeOffset now) => app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today",
        [.. Enumerable.Range(1, count).Select(i => new Item($"Kayani story {i}", $"https://news.example/{i}", Description: $"<p>General Kayani, day {i}.</p>", Published: now.AddMinutes(-i)))]));

    [Fact]
    public async Task Telegrams_webhook_invoked_over_grpc_answers_an_editor_and_refuses_a_request_without_the_secret()
    {
        await PublishConfigAsync(ServeStories(1, app.Clock.GetUtcNow()), editor: true);
        var settings = DeployedSettings();
        settings["Telegram__WebhookSecret"] = "grpc-Secret_42";
        await using var host = await FunctionsHost.StartAsync(settings);
        Assert.Equal(["httpTrigger", "http"], host.Functions["TelegramWebhook"].Bindings.Values.Select(b => b.Type));

        var update = TelegramUpdates.Numbered(TelegramUpdates.Message(111111111, "/rules"), 77);
        var body = System.Text.Encoding.UTF8.GetBytes(update.ToJsonString());
        var started = System.Diagnostics.Stopwatch.StartNew();
        var answered = await host.InvokeHttpAsync("TelegramWebhook", "https://syndication.example/api/telegram",
            new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = "grpc-Secret_42" }, body);
        output.WriteLine($"webhook over gRPC answered in {started.ElapsedMilliseconds} ms");

        Assert.Equal(StatusResult.Types.Status.Success, answered.Result.Status);
        Assert.Equal("200", answered.ReturnValue.Http.StatusCode);
        Assert.Contains("<b>kayani</b>", Assert.Single(app.Bot.Messages).Text);

        var refused = await host.InvokeHttpAsync("TelegramWebhook", "https://syndication.example/api/telegram",
            new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-Telegram-Bot-Api-Secret-Token"] = "guess" }, body);
        Assert.Equal("401", refused.ReturnValue.Http.StatusCode);
        Assert.Single(app.Bot.Messages);
    }

    [Fact]
    public async Task The_editors_page_invoked_over_grpc_serves_the_page_and_answers_only_a_signed_editor()
    {
        await PublishConfigAsync(ServeStories(1, app.Clock.GetUtcNow()), editor: true);
        await using var host = await FunctionsHost.StartAsync(DeployedSettings());
        static string Body(InvocationResponse r) => r.ReturnValue.Http.Body.DataCase == TypedData.DataOneofCase.Bytes
            ? r.ReturnValue.Http.Body.Bytes.ToStringUtf8() : r.ReturnValue.Http.Body.String;

        var page = await host.InvokeHttpAsync("EditorPage", "https://syndication.example/api/app/", new Dictionary<string, string>(), [], method: "GET");
        Assert.Equal("200", page.ReturnValue.Http.StatusCode);
        Assert.Contains("<title>Syndication · editors</title>", Body(page));
        Assert.StartsWith("default-src 'none'", page.ReturnValue.Http.Headers.First(h => h.Key.Equals("Content-Security-Policy", StringComparison.OrdinalIgnoreCase)).Value);

        var signed = MiniAppLaunch.Sign(111111111, "Ayesha", app.Clock.GetUtcNow().AddMinutes(-2));
        var overview = await host.InvokeHttpAsync("EditorPage", "https://syndication.example/api/app/api/overview",
            new Dictionary<string, string> { ["X-Telegram-Init-Data"] = signed }, [], method: "GET");
        Assert.Equal("200", overview.ReturnValue.Http.StatusCode);
        using var answer = JsonDocument.Parse(Body(overview));
        Assert.Equal("kayani", answer.RootElement.GetProperty("rules")[0].GetProperty("id").GetString());
        Assert.Equal("Ayesha", answer.RootElement.GetProperty("editor").GetProperty("name").GetString());

        var stranger = await host.InvokeHttpAsync("EditorPage", "https://syndication.example/api/app/api/overview",
            new Dictionary<string, string> { ["X-Telegram-Init-Data"] = MiniAppLaunch.Sign(42, "Mallory", app.Clock.GetUtcNow()) }, [], method: "GET");
        Assert.Equal("403", stranger.ReturnValue.Http.StatusCode);
        Assert.DoesNotContain(host.Logs, l => l.Message.Contains(FakeBotApi.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_worker_declares_and_loads_every_function_and_a_sweep_invoked_over_grpc_alerts_each_story_once()
    {
        await PublishConfigAsync(ServeStories(3, app.Clock.GetUtcNow()));
        var settings = DeployedSettings();
        await using var host = await FunctionsHost.StartAsync(settings);

        // Worker indexing declares what the build's functions.metadata lists, each bound to its schedule setting.
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(FunctionsHost.AppDirectory, "functions.metadata")));
        Assert.Equal(metadata.RootElement.EnumerateArray().Select(f => f.GetProperty("name").GetString()).Order(), host.Functions.Keys.Order());
        Assert.Equal(["timerTrigger"], new[] { "PollFeeds", "DeliverPending" }.SelectMany(f => host.Functions[f].Bindings.Values.Select(b => b.Type)).Distinct());
        Assert.Equal(["queueTrigger"], new[] { "WorkFeeds", "DeliverChannel" }.SelectMany(f => host.Functions[f].Bindings.Values.Select(b => b.Type)).Distinct());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sweep = await host.InvokeTimerAsync("PollFeeds");
        Assert.Equal(StatusResult.Types.Status.Success, sweep.Result.Status);
        Assert.Empty(app.Bot.Messages); // the timer only queues the due feeds
        var worked = await host.RunQueueListenerAsync(settings);
        // scripts/bench/start.sh reads this line.
        output.WriteLine($"worker start: {host.StartedIn.TotalMilliseconds:F0} ms to the last function loaded; first sweep invocation {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.Equal(["DeliverChannel", "WorkFeeds"], worked.Select(w => w.Function).Order());
        Assert.All(worked, w => Assert.Equal(StatusResult.Types.Status.Success, w.Response.Result.Status));
        Assert.Equal(["Kayani story 1", "Kayani story 2", "Kayani story 3"], app.Bot.Messages.Select(m => TitleOf(m.Text)).Order());
        Assert.All(app.Bot.Messages, m => Assert.Equal("@security_desk", m.ChatId));

        // The minute timer and a second cycle find nothing new: no story twice.
        var drain = await host.InvokeTimerAsync("DeliverPending");
        Assert.Equal(StatusResult.Types.Status.Success, drain.Result.Status);
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("PollFeeds")).Result.Status);
        Assert.All(await host.RunQueueListenerAsync(settings), w => Assert.Equal(StatusResult.Types.Status.Success, w.Response.Result.Status));
        Assert.Equal(3, app.Bot.Messages.Count);
        // A healthy run logs no warning, and no library's request-by-request chatter.
        Assert.DoesNotContain(host.Logs, l => l.Level >= RpcLog.Types.Level.Warning);
        Assert.DoesNotContain(host.Logs, l => l.Category.StartsWith("System.Net.Http", StringComparison.Ordinal));
        Assert.Contains(host.Logs, l => l.Category == "Syndication.Sweeps.Sweeper" && l.Message.Contains("3 alerts"));

        // The host's shutdown: the worker stops on WorkerTerminate, cleanly.
        Assert.Equal(0, await host.TerminateAsync(TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("Telegram:BotToken", "Telegram__BotToken")]
    [InlineData("ArticleStorage", "ArticleStorage")]
    public async Task A_missing_required_setting_stops_the_worker_at_start_naming_the_setting(string missing, string named)
    {
        var settings = DeployedSettings();
        settings.Remove(missing);
        if (missing == "ArticleStorage") settings.Remove("AzureWebJobsStorage");

        var error = await Assert.ThrowsAsync<WorkerExitedException>(() => FunctionsHost.StartAsync(settings));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains(named, error.Output);
        Assert.DoesNotContain(FakeBotApi.Token, error.Output);
    }

    [Fact]
    public async Task The_workers_logs_reach_the_host_over_rpc_log_and_never_carry_the_token()
    {
        await PublishConfigAsync(ServeStories(1, app.Clock.GetUtcNow()));
        app.Bot.FailNext(1, 401, "Unauthorized"); // the worst case: Telegram refuses the token, and the app says so
        var settings = DeployedSettings();
        await using var host = await FunctionsHost.StartAsync(settings);

        await host.InvokeTimerAsync("PollFeeds");
        var worked = await host.RunQueueListenerAsync(settings);

        // The refused send failed its invocation; the host's retry sent it.
        Assert.Equal([StatusResult.Types.Status.Failure, StatusResult.Types.Status.Success], worked.Where(w => w.Function == "DeliverChannel").Select(w => w.Response.Result.Status));
        Assert.Single(app.Bot.Messages);
        var logs = host.Logs.ToList();
        Assert.Contains(logs, l => l.Category == "Syndication.Sweeps.FeedProcessor" && l.Message.Contains("Feed pt: 1 items, 1 new"));
        Assert.Contains(logs, l => l.Level == RpcLog.Types.Level.Error && (l.Exception?.Message ?? "").Contains("Telegram refused the bot token", StringComparison.Ordinal));
        var secret = FakeBotApi.Token[(FakeBotApi.Token.IndexOf(':') + 1)..];
        foreach (var log in logs)
        {
            Assert.DoesNotContain(secret, log.Message);
            Assert.DoesNotContain(secret, log.Exception?.Message ?? "");
            Assert.DoesNotContain(secret, log.Exception?.StackTrace ?? "");
        }
        Assert.DoesNotContain(secret, host.Output);
    }

    [Fact]
    public async Task An_invocation_the_host_cancels_leaves_nothing_half_sent_and_the_next_run_sends_the_rest_once()
    {
        await PublishConfigAsync(ServeStories(8, app.Clock.GetUtcNow()), backfill: 8);
        app.Bot.SendDelay = TimeSpan.FromMilliseconds(700);
        var settings = DeployedSettings();
        await using var host = await FunctionsHost.StartAsync(settings);
        Assert.Equal("true", host.Capabilities.GetValueOrDefault("HandlesInvocationCancelMessage"), ignoreCase: true);

        // The timer queues the batch; the batch queues the alerts and wakes the channel.
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("PollFeeds")).Result.Status);
        var queues = new Azure.Storage.Queues.QueueServiceClient(settings["ArticleStorage"], new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        var batches = queues.GetQueueClient(settings["FeedQueue"]);
        var batch = Assert.Single((await batches.ReceiveMessagesAsync(32)).Value);
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeQueueAsync("WorkFeeds", batch)).Result.Status);
        await batches.DeleteMessageAsync(batch.MessageId, batch.PopReceipt);

        // The host cancels the channel's drain once the first alerts are out (a scale-in, or a restart).
        var wakes = queues.GetQueueClient(settings["DeliveryQueue"]);
        var wake = Assert.Single((await wakes.ReceiveMessagesAsync(32)).Value);
        var (invocation, answer) = host.StartQueue("DeliverChannel", wake);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (app.Bot.Messages.Count < 2 && !answer.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
        await host.CancelAsync(invocation);
        var cancelled = await answer;
        await wakes.UpdateMessageAsync(wake.MessageId, wake.PopReceipt, visibilityTimeout: TimeSpan.Zero); // as the host does after a failed or cancelled run

        // Cancelled mid-delivery: some alerts out, the rest still queued, none sent twice.
        Assert.True(cancelled.Result.Status == StatusResult.Types.Status.Cancelled, cancelled.Result.Exception?.Message);
        var sentBefore = app.Bot.Messages.Count;
        Assert.InRange(sentBefore, 2, 7);

        app.Bot.SendDelay = TimeSpan.Zero;
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("DeliverPending")).Result.Status);
        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("PollFeeds")).Result.Status);
        Assert.All(await host.RunQueueListenerAsync(settings), w => Assert.Equal(StatusResult.Types.Status.Success, w.Response.Result.Status));

        var titles = app.Bot.Messages.Select(m => TitleOf(m.Text)).ToList();
        Assert.Equal(titles.Distinct(), titles);
        Assert.Equal(8, titles.Count);
    }

    [Fact]
    public async Task With_an_otlp_endpoint_set_the_worker_exports_its_logs_and_the_syndication_meter_there()
    {
        var received = new System.Collections.Concurrent.ConcurrentQueue<(string Path, byte[] Body)>();
        await using var collector = await LoopbackServer.StartAsync(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue((context.Request.Path.Value ?? "", body.ToArray()));
            context.Response.ContentType = "application/x-protobuf";
        });
        await PublishConfigAsync(ServeStories(2, app.Clock.GetUtcNow()));
        var settings = DeployedSettings();
        settings["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString().TrimEnd('/');
        settings["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
        settings["OTEL_METRIC_EXPORT_INTERVAL"] = "500";
        settings["OTEL_BLRP_SCHEDULE_DELAY"] = "200";
        await using var host = await FunctionsHost.StartAsync(settings);

        Assert.Equal(StatusResult.Types.Status.Success, (await host.InvokeTimerAsync("PollFeeds")).Result.Status);
        Assert.All(await host.RunQueueListenerAsync(settings), w => Assert.Equal(StatusResult.Types.Status.Success, w.Response.Result.Status));

        // OTLP over protobuf carries instrument names and log lines as UTF-8 strings.
        string Exported(string path) => string.Concat(received.Where(r => r.Path == path).Select(r => System.Text.Encoding.UTF8.GetString(r.Body)));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !(Exported("/v1/metrics").Contains("syndication.sweep.duration") && Exported("/v1/metrics").Contains("syndication.alerts.sent")
            && Exported("/v1/logs").Contains("Sweep done")))
            await Task.Delay(200);
        Assert.Contains("syndication.sweep.duration", Exported("/v1/metrics"));
        Assert.Contains("syndication.alerts.sent", Exported("/v1/metrics"));
        Assert.Contains("Sweep done", Exported("/v1/logs"));
        Assert.DoesNotContain(FakeBotApi.Token[(FakeBotApi.Token.IndexOf(':') + 1)..], Exported("/v1/logs") + Exported("/v1/traces"));
    }

    static string TitleOf(string html) => html[(html.IndexOf("<b>", StringComparison.Ordinal) + 3)..html.IndexOf("</b>", StringComparison.Ordinal)];
}
