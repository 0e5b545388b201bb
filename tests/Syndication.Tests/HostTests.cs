using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Functions;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>The two hosts: the timer function called directly, its build metadata, and the CLI run as a real process.</summary>
public sealed class HostTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task The_timer_queues_the_due_feeds_and_the_queue_triggers_send_the_alert()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = OneFeedConfig(url);
        // The function reads its config the way it does in Azure: from the config container in article storage.
        await app.Containers.Config.CreateIfNotExistsAsync();
        await app.Containers.Config.UploadBlobAsync("syndication.json", BinaryData.FromString(File.ReadAllText(config)));

        var function = new PollFeeds(app.Services.GetRequiredService<Sweeper>());
        await function.RunAsync(new TimerInfo { ScheduleStatus = new ScheduleStatus { Last = Now.UtcDateTime.AddMinutes(-5), Next = Now.UtcDateTime.AddMinutes(5) } }, CancellationToken.None);
        Assert.Empty(app.Bot.Messages); // the timer only queues the due feeds
        Assert.Equal(2, await app.RunQueueTriggersAsync()); // the feed batch, then its channel's wake-up

        var message = Assert.Single(app.Bot.Messages);
        Assert.Equal("@security_desk", message.ChatId);
        Assert.Contains(Fixture.Title, message.Text);
    }

    [Fact]
    public void The_build_metadata_binds_the_timer_to_the_schedule_setting_and_ships_host_json()
    {
        var output = Path.Combine(Repo.Root, "functions", "Syndication.Functions", "bin", Repo.Configuration, "net10.0");

        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "functions.metadata")));
        var functions = metadata.RootElement.EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["DeliverChannel", "DeliverPending", "EditorPage", "PollFeeds", "TelegramWebhook", "WorkFeeds"], functions.Keys.Order());
        // The editors' page: anonymous at the Functions level (Telegram's launch data guards its API), GET and POST, at /api/app/….
        var page = functions["EditorPage"].GetProperty("bindings").EnumerateArray().ToList();
        Assert.Equal(("anonymous", "app/{*rest}"), (page[0].GetProperty("authLevel").GetString()!.ToLowerInvariant(), page[0].GetProperty("route").GetString()));
        Assert.Equal(["get", "post"], page[0].GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        // Telegram's webhook: anonymous at the Functions level (Telegram cannot send a function key; the secret header guards
        // it), POST only, at /api/telegram.
        var webhook = functions["TelegramWebhook"].GetProperty("bindings").EnumerateArray().ToList();
        Assert.Equal(["httpTrigger", "http"], webhook.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("anonymous", webhook[0].GetProperty("authLevel").GetString(), ignoreCase: true);
        Assert.Equal(["post"], webhook[0].GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal("telegram", webhook[0].GetProperty("route").GetString());
        foreach (var (name, type, key, value) in new[]
        {
            ("PollFeeds", "timerTrigger", "schedule", "%PollSchedule%"), ("DeliverPending", "timerTrigger", "schedule", "%DeliverSchedule%"),
            ("WorkFeeds", "queueTrigger", "queueName", "%FeedQueue%"), ("DeliverChannel", "queueTrigger", "queueName", "%DeliveryQueue%"),
        })
        {
            Assert.Equal($"Syndication.Functions.{name}.RunAsync", functions[name].GetProperty("entryPoint").GetString());
            var binding = Assert.Single(functions[name].GetProperty("bindings").EnumerateArray());
            Assert.Equal(type, binding.GetProperty("type").GetString());
            Assert.Equal(value, binding.GetProperty(key).GetString());
            // The queue triggers read the same storage section the app does.
            if (type == "queueTrigger") Assert.Equal("ArticleStorage", binding.GetProperty("connection").GetString());
        }

        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "host.json")));
        Assert.Equal("2.0", host.RootElement.GetProperty("version").GetString());

        // The schedule setting the binding names is the one the shipped settings define, every 5 minutes.
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repo.Root, "local.settings.sample.json")));
        Assert.Equal("0 */5 * * * *", settings.RootElement.GetProperty("Values").GetProperty("PollSchedule").GetString());
    }

    [Fact]
    public async Task Syndication_run_sends_exactly_the_expected_messages_once_over_feeds_it_has_never_seen()
    {
        var world = app.Feeds.Serve("world.xml", Rss.WordPress("World Desk",
            new Item("Haqqani network blamed for attack", "https://world.example/1", Description: "<p>Officials blamed the Haqqani network.</p>", Published: Now),
            new Item("Cricket: Kayani hands out trophy", "https://world.example/2", Description: "<p>General Kayani at the cricket final.</p>", Published: Now.AddMinutes(-1)),
            new Item("Weather turns cold", "https://world.example/3", Description: "<p>Snow in the north.</p>", Published: Now.AddMinutes(-2))));
        var atom = app.Feeds.Serve("region.atom", Rss.Atom("Region Desk",
            new Item("IMF reviews programme", "https://region.example/imf", Guid: "urn:region:imf", Description: "<p>The IMF team met the State Bank.</p>", Published: Now)), "application/atom+xml");
        var broken = app.Feeds.Serve("broken.xml", "<rss><channel><title lang=en>unquoted</title></channel></rss>", "application/rss+xml");
        var config = app.WriteConfig(new
        {
            feeds = new object[] { new { id = "world", url = world, backfill = 5 }, new { id = "region", url = atom, backfill = 5 }, new { id = "broken", url = broken, backfill = 5 } },
            channels = new[] { new { id = "security", chat = "@security_desk" }, new { id = "economy", chat = "-1009876543210" } },
            rules = new object[]
            {
                new { id = "militancy", channels = new[] { "security" }, anyOf = new[] { "Haqqani network", "Kayani" }, noneOf = new[] { "cricket" } },
                new { id = "imf", channels = new[] { "economy", "security" }, feeds = new[] { "region" }, anyOf = new[] { "IMF" } },
            },
        });

        var first = await RunCliAsync("run", "--config", config);
        var second = await RunCliAsync("run", "--config", config);

        Assert.Equal(0, first.ExitCode);
        Assert.Equal(0, second.ExitCode);
        Assert.Equal(
            ["-1009876543210 IMF reviews programme", "@security_desk Haqqani network blamed for attack", "@security_desk IMF reviews programme"],
            app.Bot.Messages.Select(m => $"{m.ChatId} {TelegramHtml.ToPlain(m.Text).Split('\n')[0]}").Order(StringComparer.Ordinal));
        // Each failure is logged once as it happens (stderr), and named with its reason once more above the summary (stdout).
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first.Errors, "Feed broken .*failed"));
        Assert.Contains("Feed broken (", first.Errors);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first.Output, "Feed broken failed: .*malformed XML"));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(first.Output + first.Errors, "Sweep done: "));
        Assert.Contains("Sweep done: 2 feeds fetched, 1 failed (broken); 4 new articles; 3 alerts sent, 0 failed; ", first.Output);
        // The broken feed backs off for 5 minutes, so the immediate second run does not hammer it.
        Assert.Contains("Sweep done: 2 feeds fetched (2 unchanged), 0 failed, 1 not due; 0 new articles; 0 alerts sent, 0 failed; ", second.Output);
        Assert.DoesNotContain(FakeBotApi.Token, first.Output + first.Errors + second.Output + second.Errors);
    }

    [Fact]
    public async Task Syndication_run_without_a_token_runs_dry_and_prints_the_messages()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(Now)));
        var config = OneFeedConfig(url);

        var result = await RunCliWithAsync(new() { ["Telegram__BotToken"] = "" }, "run", "--config", config);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(0, app.Bot.Requests);
        Assert.Contains("Telegram__BotToken is not set: running dry", result.Errors);
        Assert.Contains("--- would send to desk (@security_desk) ---", result.Output);
        Assert.Contains($"<b>{Fixture.Title}</b>", result.Output);
        Assert.Contains("Sweep done: 1 feed fetched, 0 failed; 1 new article; 1 alert to send (dry run, nothing sent); ", result.Output);
    }

    [Fact]
    public async Task Syndication_check_exits_2_and_lists_every_problem_for_an_invalid_config()
    {
        var config = app.WriteConfig("""
            { "feeds": [ { "id": "a", "url": "https://a.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk" } ],
              "rules": [ { "id": "r", "channels": ["dsek"], "anyof": ["x"] } ] }
            """);

        var invalid = await RunCliAsync("check", "--config", config);
        var run = await RunCliAsync("run", "--config", config);

        Assert.Equal(2, invalid.ExitCode);
        Assert.Contains("rules[0].channels[0]: unknown channel 'dsek'; did you mean 'desk'?", invalid.Errors);
        Assert.Contains("rules[0].anyof: unknown field 'anyof'; did you mean 'anyOf'?", invalid.Errors);
        Assert.Contains("rules[0]: rule 'r' has no terms", invalid.Errors);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal(0, app.Bot.Requests);

        var valid = await RunCliAsync("check", "--config", Path.Combine(Repo.Root, "samples", "syndication.json"));
        Assert.Equal(0, valid.ExitCode);
        Assert.Contains("Configuration is valid", valid.Output);
    }

    [Fact]
    public async Task Syndication_exits_1_when_storage_cannot_be_reached_and_2_on_bad_usage()
    {
        var config = app.WriteConfig(new
        {
            feeds = Array.Empty<object>(),
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = Array.Empty<object>(),
        });

        var unreachable = await RunCliWithAsync(new() { ["ArticleStorage"] = Azurite.ConnectionStringFor(Azurite.FreePort(), Azurite.FreePort()) }, "run", "--config", config);
        var usage = await RunCliAsync("run", "--no-such-option");

        Assert.Equal(1, unreachable.ExitCode);
        Assert.Contains("Article storage is unavailable", unreachable.Errors);
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--no-such-option", usage.Errors);
    }

    [Fact]
    public async Task The_local_sweep_script_remembers_what_it_sent_and_starts_over_only_when_asked()
    {
        var items = Enumerable.Range(1, 10).Select(i => new Item($"Kayani story {i}", $"https://news.example/{i}", Description: "<p>Kayani.</p>", Published: Now.AddMinutes(-i))).ToArray();
        var config = app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url = app.Feeds.Serve("local.xml", Rss.WordPress("Pakistan Today", items)), backfill = 10, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        var data = Directory.CreateTempSubdirectory("syndication-test-local-").FullName;
        try
        {
            Task<CliResult> SweepScriptAsync(params string[] extra) =>
                CliProcess.RunScriptAsync(app, Repo.Root, new() { ["SYNDICATION_LOCAL_DATA"] = data }, ["scripts/sweep.sh", "--config", config, .. extra]);

            var first = await SweepScriptAsync();
            var second = await SweepScriptAsync();
            Assert.True(first.ExitCode == 0, first.Errors);
            Assert.True(second.ExitCode == 0, second.Errors);
            Assert.Equal(10, app.Bot.Messages.Count); // before: 20, because every run started from empty storage
            Assert.Contains("0 alerts sent", second.Output);

            // A healthy run is quiet: no warning line at all (before: 7 or 8 Azure.Core lines about expected 404s and 409s).
            Assert.DoesNotContain(" warn: ", second.Errors);

            var fresh = await SweepScriptAsync("--fresh");
            Assert.True(fresh.ExitCode == 0, fresh.Errors);
            Assert.Contains("Starting over", fresh.Errors);
            Assert.Equal(20, app.Bot.Messages.Count);
            Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], first.Output + first.Errors + second.Output + second.Errors + fresh.Output + fresh.Errors);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    string OneFeedConfig(Uri url) => app.WriteConfig(new
    {
        feeds = new[] { new { id = "pt", url, backfill = 1 } },
        channels = new[] { new { id = "desk", chat = "@security_desk" } },
        rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
    });

    Task<CliResult> RunCliAsync(params string[] args) => CliProcess.RunAsync(app, [], args);

    Task<CliResult> RunCliWithAsync(Dictionary<string, string> overrides, params string[] args) => CliProcess.RunAsync(app, overrides, args);
}
