using System.Diagnostics;
using System.Text.Json;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Commands are honest about faults they cannot fix: what cannot heal by waiting (no token, a refused one, no storage)
/// stops them at once with the message and exit code <c>run</c> gives, storage out of reach reads the same in every
/// verb, and a command that needs no storage does not wait for it.
/// </summary>
public sealed class HonestFailureTests : IAsyncLifetime
{
    const string Down = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;";

    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config() => app.WriteConfig(new
    {
        feeds = new[] { new { id = "pt", url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(TestClock.Start.AddHours(-1)))), backfill = 1 } },
        channels = new[] { new { id = "desk", chat = "@security_desk" } },
        rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
    });

    static void OneLine(CliResult result)
    {
        Assert.DoesNotContain("   at ", result.Errors);
        Assert.DoesNotContain("Exception", result.Errors);
        Assert.DoesNotContain(FakeBotApi.Token.Split(':')[1], result.Errors + result.Output);
    }

    [Fact]
    public async Task Listen_stops_at_once_without_a_token_with_a_refused_one_and_without_storage()
    {
        // Before: each retried every 5 s for ever, and with --for exited 0.
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(
            CliProcess.RunAsync(app, new() { ["Telegram__BotToken"] = "" }, "listen"),
            CliProcess.RunAsync(app, new() { ["Telegram__BotToken"] = "4242:REVOKED-token-abcdefgh" }, "listen"),
            CliProcess.RunAsync(app, new() { ["ArticleStorage"] = "" }, "listen"),
            CliProcess.RunAsync(app, new() { ["ArticleStorage"] = Down }, "listen", "--for", "1s"));
        var (tokenless, refused, storageless, down) = (results[0], results[1], results[2], results[3]);

        Assert.Equal(2, tokenless.ExitCode);
        Assert.Contains("Telegram__BotToken is not set", tokenless.Errors);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Telegram refused the bot token (401 Unauthorized)", refused.Errors);
        Assert.DoesNotContain("REVOKED-token", refused.Errors + refused.Output);
        Assert.Equal(1, storageless.ExitCode);
        Assert.Contains("Article storage is unavailable: no article storage is configured", storageless.Errors);
        Assert.Equal(1, down.ExitCode);
        Assert.Contains("could not be reached", down.Errors);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"took {clock.Elapsed}"); // each stops by itself: none waits for Ctrl+C
        foreach (var result in new[] { tokenless, refused, storageless, down }) OneLine(result);
        Assert.Empty(app.Bot.Messages);
    }

    [Fact]
    public async Task Listen_waits_out_telegram_out_of_reach_and_stops_when_told()
    {
        var result = await CliProcess.RunAsync(app, new() { ["Telegram__ApiBaseUrl"] = "http://127.0.0.1:9" }, "listen", "--for", "3s");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Could not get updates: Telegram could not be reached", result.Errors);
        Assert.Contains("Stopped listening; handled 0 updates.", result.Output);
    }

    [Fact]
    public async Task Storage_out_of_reach_reads_the_same_in_every_verb_that_needs_it()
    {
        var config = Config();
        var down = new Dictionary<string, string> { ["ArticleStorage"] = Down };

        var results = await Task.WhenAll(
            CliProcess.RunAsync(app, down, "config", "push", config),
            CliProcess.RunAsync(app, down, "config", "pull"),
            CliProcess.RunAsync(app, down, "status", "--config", config),
            CliProcess.RunAsync(app, down, "run", "--config", config));

        // Before, push and pull said "Article storage failed during the sweep: Retry failed after 4 tries. Retry settings can be adjusted…".
        Assert.All(results, r =>
        {
            Assert.Equal(1, r.ExitCode);
            Assert.Contains("Article storage is unavailable: article storage at http://127.0.0.1:9 could not be reached", r.Errors);
            Assert.DoesNotContain("Retry settings", r.Errors);
            OneLine(r);
        });
    }

    [Fact]
    public async Task Check_needs_no_storage_and_says_why_it_skipped_the_moved_feeds()
    {
        var result = await CliProcess.RunAsync(app, new() { ["ArticleStorage"] = Down }, "check", "--config", Config());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Configuration is valid: 1 feed", result.Output);
        Assert.Contains("article storage did not answer within a second, so feeds that moved were not looked up", result.Errors);
    }

    [Fact]
    public async Task Preview_of_a_missing_file_is_a_usage_error_and_json_output_reads_as_text()
    {
        var config = Config();
        var missing = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--file", "nope.xml");
        var feed = Path.Combine(Path.GetDirectoryName(config)!, "feed.xml");
        File.WriteAllText(feed, Rss.WordPress("Pakistan Today", Fixture.Item(TestClock.Start.AddHours(-1))));
        var json = await CliProcess.RunAsync(app, [], "preview", "--config", config, "--file", feed, "--json", "--offline");

        Assert.Equal(2, missing.ExitCode); // before: 0
        Assert.EndsWith("nope.xml cannot be read: there is no such file", missing.Errors.Trim());
        Assert.StartsWith("--file: ", missing.Errors);
        Assert.Equal(0, json.ExitCode);
        Assert.Contains("\"html\": \"<b>Kayani balks at US demands to cooperate", json.Output); // before: \u003Cb\u003E
        Assert.DoesNotContain("\\u003C", json.Output);
        Assert.DoesNotContain("\\u0027", json.Output);
        using var parsed = JsonDocument.Parse(json.Output);
        Assert.StartsWith("<b>Kayani balks", parsed.RootElement[0].GetProperty("items")[0].GetProperty("messages")[0].GetProperty("html").GetString());
    }
}
