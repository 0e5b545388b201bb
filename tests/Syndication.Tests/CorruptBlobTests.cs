using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Delivery;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// One corrupt blob (truncated, hand-edited, written by something else) must not stop alerting: it is named, set aside in
/// the quarantine container for a person to inspect, and every other feed and channel goes on.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class CorruptBlobTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    static Item Story(int n) => new($"Kayani story {n}", $"https://news.example/{n}", Description: $"<p>General Kayani, part {n}.</p>", Published: Now.AddMinutes(n));

    string Setup(params int[] stories)
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", [.. stories.Reverse().Select(Story)]));
        return app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 100, fullText = "never" } },
            channels = new[] { new { id = "desk", chat = "@desk" }, new { id = "wire", chat = "@wire" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk", "wire" }, anyOf = new[] { "Kayani" } } },
        });
    }

    /// <summary>The shard blob holding feed pt's state (every test feed is on 127.0.0.1, so all share one shard).</summary>
    string StateBlob => Syndication.Feeds.FeedStateStore.BlobName(Syndication.Feeds.FeedShards.Of(app.Feeds.Url("feed/"), app.Services.GetRequiredService<Syndication.Feeds.FeedStateStore>().ShardCount));

    BlobClient Blob(string kind) => kind switch
    {
        "outbox" => app.Containers.Outbox.GetBlobClient("desk/pt/0123456789abcdef.json"),
        "state" => app.Containers.Feeds.GetBlobClient(StateBlob),
        "seen" => app.Containers.Feeds.GetBlobClient("seen/pt.json"),
        "channels" => app.Containers.Feeds.GetBlobClient("_channels.json"),
        "recent" => app.Containers.Feeds.GetBlobClient("_recent/desk.json"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>
    /// A first sweep (6 alerts), then <paramref name="corrupt"/> spoils some blobs and 5 more stories arrive; three more runs,
    /// as the issue measured: all 10 new alerts go out, each once. Returns the configuration file.
    /// </summary>
    async Task<string> SweepAroundAsync(Func<Task> corrupt)
    {
        var config = Setup(1, 2, 3);
        await app.SweepAsync(config);
        await app.Containers.Config.GetBlobClient("syndication.json").UploadAsync(BinaryData.FromString(File.ReadAllText(config)), overwrite: true);
        Assert.Equal(6, app.Bot.Messages.Count);

        await corrupt();
        Setup(1, 2, 3, 4, 5, 6, 7, 8);
        var first = await app.SweepAsync(config);
        await app.SweepAsync(config);
        await app.Services.GetRequiredService<Sweeper>().DeliverPendingAsync(default);

        Assert.Equal(10, first.Count(DeliveryStatus.Sent));
        Assert.Equal(16, app.Bot.Messages.Count);
        Assert.Equal(16, app.Bot.Messages.Select(m => (m.ChatId, TelegramHtml.ToPlain(m.Text).Split('\n')[0])).Distinct().Count());
        return config;
    }

    [Theory]
    [InlineData("outbox", "{\"channelId\": \"desk\", \"chat\": ")]      // truncated mid-write
    [InlineData("state", "<?xml version=\"1.0\"?><oops/>")]              // written by something else
    [InlineData("seen", "[1, 2, 3]")]                                    // valid JSON, wrong shape
    [InlineData("channels", "null")]
    public async Task A_corrupt_blob_is_set_aside_and_every_alert_still_goes_out_once(string kind, string garbage)
    {
        var blob = Blob(kind);
        // Before, each of the three runs threw and none of the 10 new alerts went out.
        var config = await SweepAroundAsync(() => blob.UploadAsync(BinaryData.FromString(garbage), overwrite: true));

        // Kept for a person to inspect, byte for byte, under its container and name; and named in the log.
        var quarantined = app.Containers.Quarantine.GetBlobClient($"{blob.BlobContainerName}/{blob.Name}");
        Assert.Equal(garbage, (await quarantined.DownloadContentAsync()).Value.Content.ToString());
        Assert.Contains(app.Logs.Lines, l => l.StartsWith("Error") && l.Contains($"Blob {blob.BlobContainerName}/{blob.Name} is corrupt and was set aside"));

        // Status shows it, and does not crash on it.
        var status = await app.Services.GetRequiredService<StatusReader>().ReadAsync(await Syndication.Config.ConfigSource.LoadFileAsync(config, default), default);
        Assert.Contains($"{blob.BlobContainerName}/{blob.Name}", status.Quarantined);
    }

    static readonly string[] Kinds = ["outbox", "state", "seen", "channels", "recent"];

    /// <summary>A field of the wrong type, in each kind's own shape.</summary>
    static string WrongType(string kind) => kind switch
    {
        "outbox" => "{\"channelId\": \"desk\", \"rules\": \"kayani\"}",
        "state" => "{\"feeds\": {\"pt\": {\"consecutiveFailures\": []}}}",
        "seen" => "{\"https://news.example/1\": {\"content\": 7}}",
        "channels" => "{\"desk\": {\"reason\": \"down\", \"since\": 7}}",
        _ => "[{\"url\": null, \"shingles\": \"abc\", \"article\": \"x\"}]",
    };

    /// <summary>Whether <paramref name="json"/> is a good (empty) value of that kind: an empty map or list is.</summary>
    static bool Fine(string kind, string json) => (kind, json) is ("seen" or "channels", "{}") or ("recent", "[]");

    [Theory]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("[null]")]
    [InlineData("wrong")]
    public async Task Valid_JSON_of_the_wrong_shape_in_any_stored_kind_is_set_aside_and_every_alert_still_goes_out_once(string shape)
    {
        // Before: a state shard of {} or a recent list of [null] threw NullReferenceException in every run, and the feed's
        // new items were never read; an outbox entry of {} failed every delivery pass.
        await SweepAroundAsync(async () =>
        {
            foreach (var kind in Kinds)
                await Blob(kind).UploadAsync(BinaryData.FromString(shape == "wrong" ? WrongType(kind) : shape), overwrite: true);
        });

        var quarantined = await app.BlobNamesAsync(app.Containers.Quarantine);
        foreach (var kind in Kinds)
        {
            var name = $"{Blob(kind).BlobContainerName}/{Blob(kind).Name}";
            Assert.True(Fine(kind, shape) != quarantined.Contains(name), $"{kind} holding {shape}: quarantined {quarantined.Contains(name)}");
        }
    }

    [Fact]
    public async Task Status_reads_a_corrupt_feed_state_without_crashing()
    {
        var config = Setup(1);
        await app.SweepAsync(config);
        await Blob("state").UploadAsync(BinaryData.FromString("{\"feeds\": {\"pt\": {\"consecutiveFailures\": \"many\"}}}"), overwrite: true);

        var status = await app.Services.GetRequiredService<StatusReader>().ReadAsync(await Syndication.Config.ConfigSource.LoadFileAsync(config, default), default);

        Assert.Equal("pt", Assert.Single(status.Feeds).FeedId);
        Assert.Contains($"{app.ContainerPrefix}feeds/{StateBlob}", status.Quarantined);
        Assert.Contains(app.Logs.Lines, l => l.Contains("not valid JSON at line 1") || l.Contains("not the expected JSON"));
    }
}
