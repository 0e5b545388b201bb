using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Delivery;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Digests on a fake clock, through the strict fake Bot API: a channel's alerts collected and sent as one message at the
/// digest's time, one line per story, split only at Telegram's length limit; nothing is sent twice or lost. What waits
/// for a digest, when it is due and how it reads are decided in <see cref="DigestScheduleTests"/>.
/// </summary>
[Trait(SecondPass.Name, SecondPass.YearAhead)]
public sealed class DigestTests : IAsyncLifetime
{
    static readonly DateTimeOffset Published = TestClock.Start.AddHours(-1);
    static readonly string KarachiDay = TestClock.Start.ToOffset(TimeSpan.FromHours(5)).ToString("d MMM yyyy,", CultureInfo.InvariantCulture);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(); // its clock: 07:00 UTC, 12:00 in Karachi
    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config(int stories, string title = "Kayani story", object? digest = null, bool urgentBreaking = false, string path = "")
    {
        var items = Enumerable.Range(1, stories).Select(i => new Item($"{title} {i}", $"https://news.example/{path}{i}?utm_source=rss",
            Description: $"<p>General Kayani, part {i}.</p>", Published: Published.AddMinutes(i))).Reverse().ToArray();
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", items));
        return app.WriteConfig(new
        {
            feeds = new[] { new { id = "pt", url, backfill = 100, fullText = "never" } },
            channels = new object[] { new { id = "desk", chat = "@security_desk", timeZone = "Asia/Karachi", digest = digest ?? new { every = "1h" } } },
            rules = new object[]
            {
                new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } },
                new { id = "breaking", channels = new[] { "desk" }, anyOf = new[] { "breaking" }, urgent = urgentBreaking },
            },
        });
    }

    [Fact]
    public async Task Alerts_wait_for_the_digest_and_go_in_one_message_once()
    {
        var config = Config(3);

        var first = await app.SweepAsync(config); // 07:05 UTC, 12:05 in Karachi: the next digest is at 13:00
        Assert.Empty(app.Bot.Messages);
        Assert.Equal(3, first.Count(DeliveryStatus.Collected));
        Assert.Contains("3 collected for digests", first.Summary);
        Assert.All(first.Deliveries, d => Assert.Equal($"for the digest at {KarachiDay} 13:00 UTC+05:00", d.Error));

        app.Clock.Advance(TimeSpan.FromMinutes(50));
        await app.SweepAsync(config); // 13:00
        await app.SweepAsync(config); // 13:05: nothing more

        var digest = Assert.Single(app.Bot.Messages);
        var lines = TelegramHtml.ToPlain(digest.Text).Split('\n');
        Assert.Equal($"Digest · {KarachiDay} 13:00 UTC+05:00 · 3 stories", lines[0]);
        Assert.Equal(["• Kayani story 1 — Pakistan Today, 11:01", "• Kayani story 2 — Pakistan Today, 11:02", "• Kayani story 3 — Pakistan Today, 11:03"], lines.Skip(2));
        Assert.Contains("<a href=\"https://news.example/1\">Kayani story 1</a>", digest.Text); // the link without its tracking
        Assert.True(digest.Body["link_preview_options"]?["is_disabled"]?.GetValue<bool>());
        Assert.Empty(await app.BlobNamesAsync(app.Containers.Outbox));
    }

    [Fact]
    public async Task A_long_digest_is_split_only_at_telegrams_limit_and_every_story_is_in_it_once()
    {
        var config = Config(60, title: "Kayani " + string.Join(' ', Enumerable.Repeat("addresses the corps commanders", 4)), digest: new { cron = "0 13 * * *" });
        await app.SweepAsync(config);
        app.Clock.Advance(TimeSpan.FromMinutes(55));

        var report = await app.SweepAsync(config);

        Assert.InRange(app.Bot.Messages.Count, 2, 3);
        Assert.All(app.Bot.Messages, m => Assert.InRange(TelegramHtml.ToPlain(m.Text).Length, 1, MessageFormatter.MaxLength));
        Assert.All(app.Bot.Messages.SkipLast(1), m => Assert.True(TelegramHtml.ToPlain(m.Text).Length > MessageFormatter.MaxLength - 300, "split only when full"));
        var stories = app.Bot.Messages.SelectMany(m => TelegramHtml.ToPlain(m.Text).Split('\n').Where(l => l.StartsWith('•'))).ToList();
        Assert.Equal(60, stories.Count);
        Assert.Equal(60, stories.Distinct().Count());
        Assert.EndsWith($"(1/{app.Bot.Messages.Count})", TelegramHtml.ToPlain(app.Bot.Messages[0].Text).Split('\n')[0]);
        Assert.Equal(60, report.Count(DeliveryStatus.Sent));
    }

    [Fact]
    public async Task A_digest_telegram_fails_to_take_waits_with_its_attempt_counted_and_goes_once_or_is_dead_lettered_after_the_retry_period()
    {
        var config = Config(3);
        await app.SweepAsync(config);
        app.Clock.Advance(TimeSpan.FromMinutes(50));
        app.Bot.FailNext(1, 502, "Bad Gateway");

        var failed = await app.SweepAsync(config);                 // 13:00: the digest is due, and Telegram fails

        Assert.Empty(app.Bot.Messages);
        Assert.Equal(3, failed.Count(DeliveryStatus.Retrying));
        var outbox = app.Services.GetRequiredService<Outbox>();
        foreach (var name in await app.BlobNamesAsync(app.Containers.Outbox))
        {
            var pending = (await outbox.GetPendingAsync(name, CancellationToken.None))!.Value.Value;
            Assert.Equal(1, pending.Attempts);
            Assert.Contains("502", pending.LastError);
        }

        await app.SweepAsync(config);                              // the next run sends it, once
        await app.SweepAsync(config);
        Assert.Single(app.Bot.Messages);

        // A chat that keeps failing for the whole retry period: the stories are dead-lettered, not kept forever.
        var later = Config(2, title: "Kayani later", path: "later/");
        await app.SweepAsync(later);
        app.Clock.Advance(TimeSpan.FromHours(1));
        app.Bot.FailNext(2, 502, "Bad Gateway");
        await app.SweepAsync(later);
        app.Clock.Advance(TimeSpan.FromHours(24));
        var given = await app.SweepAsync(later);
        Assert.Equal(2, given.Count(DeliveryStatus.DeadLettered));
        Assert.Equal(2, (await app.BlobNamesAsync(app.Containers.DeadLetter)).Count);
    }
}
