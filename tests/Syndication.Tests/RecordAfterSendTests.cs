using System.Text.Json.Nodes;
using Syndication.Delivery;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// What happens after Telegram took a message decides whether it is ever sent again. With the delivery records refused by
/// storage (a real 403 from a proxy in front of Azurite), or an outbox entry hand-edited to a shape the app cannot record,
/// every alert and every digest still goes out exactly once.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class RecordAfterSendTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    StorageFaults faults = null!;
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        faults = await StorageFaults.StartAsync();
        app = await TestApp.StartAsync(s => s["ArticleStorage"] = faults.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await faults.DisposeAsync();
    }

    string Config(int stories, bool digest)
    {
        var items = Enumerable.Range(1, stories).Select(i => new Item($"Kayani story {i}", $"https://news.example/{i}",
            Description: $"<p>General Kayani, part {i}.</p>", Published: Published.AddMinutes(i))).Reverse().ToArray();
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", items));
        return app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 100, fullText = "never" } },
            channels = new object[] { digest ? new { id = "desk", chat = "@desk", digest = new { every = "1h" } } : new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
    }

    void RefuseDeliveryRecords() =>
        faults.Fail((method, path) => method == "PUT" && path.StartsWith($"/devstoreaccount1/{app.Containers.Deliveries.Name}/", StringComparison.Ordinal));

    [Fact]
    public async Task Alerts_whose_records_storage_refuses_are_never_sent_again_and_are_recorded_when_it_recovers()
    {
        var config = Config(3, digest: false);
        RefuseDeliveryRecords();

        var first = await app.SweepAsync(config);
        Assert.Equal(3, app.Bot.Messages.Count);
        Assert.Equal(3, first.Deliveries.Count(d => d.Status == DeliveryStatus.Sent && d.Uncertain));
        Assert.Contains("3 uncertain", first.Summary);
        Assert.Contains(app.Logs.Lines, l => l.Contains("is marked sent in the outbox, and the next run records it without sending it again"));

        // Before: every run sent all three again, because no record said they had gone.
        await app.SweepAsync(config);
        Assert.Equal(3, app.Bot.Messages.Count);

        faults.Fail(null);
        var healed = await app.SweepAsync(config);
        Assert.Equal(3, healed.Count(DeliveryStatus.AlreadySent));
        Assert.Equal(3, app.Bot.Messages.Count);
        Assert.Equal(3, (await app.BlobNamesAsync(app.Containers.Deliveries)).Count);
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task A_digest_whose_records_storage_refuses_is_sent_once()
    {
        var config = Config(5, digest: true);
        await app.SweepAsync(config); // collected for the next hour's digest
        Assert.Empty(app.Bot.Messages);

        RefuseDeliveryRecords();
        app.Clock.Advance(TimeSpan.FromHours(1));
        var sent = await app.SweepAsync(config);
        Assert.Single(app.Bot.Messages);
        Assert.Equal(5, sent.Deliveries.Count(d => d.Status == DeliveryStatus.Sent && d.Uncertain));

        // Before: the next run sent the whole 5-story digest again, and neither run counted it as uncertain.
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SweepAsync(config);
        faults.Fail(null);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages);
        Assert.Equal(5, (await app.BlobNamesAsync(app.Containers.Deliveries)).Count);
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task An_outbox_entry_without_its_rules_is_set_aside_before_it_is_sent_and_the_digest_goes_once()
    {
        var config = Config(3, digest: true);
        await app.SweepAsync(config);
        var names = await app.BlobNamesAsync(app.Containers.Outbox);
        Assert.Equal(3, names.Count);
        var bad = app.Containers.Outbox.GetBlobClient(names[0]);
        var entry = JsonNode.Parse((await bad.DownloadContentAsync()).Value.Content.ToString())!.AsObject();
        entry["rules"] = null;
        await bad.UploadAsync(BinaryData.FromString(entry.ToJsonString()), overwrite: true);

        // Before: the send went out, then recording it threw, so the entry stayed and went out again on every run.
        for (var run = 0; run < 3; run++)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            await app.SweepAsync(config);
        }

        var digest = Assert.Single(app.Bot.Messages);
        Assert.Contains("2 stories", TelegramHtml.ToPlain(digest.Text));
        Assert.Contains($"{app.Containers.Outbox.Name}/{names[0]}", await app.BlobNamesAsync(app.Containers.Quarantine));
        Assert.Contains(app.Logs.Lines, l => l.Contains("$.rules is missing or null"));
    }
}
