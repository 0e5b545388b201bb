using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Digests on a fake clock, through the strict fake Bot API: a channel's alerts collected and sent as one message at the
/// digest's time, one line per story, split only at Telegram's length limit; urgent rules still alert at once; nothing
/// is sent twice or lost.
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
    public async Task An_urgent_rule_still_alerts_at_once()
    {
        var config = Config(2, title: "Kayani breaking", urgentBreaking: true);

        await app.SweepAsync(config);

        Assert.Equal(2, app.Bot.Messages.Count);
        Assert.All(app.Bot.Messages, m => Assert.StartsWith("<b>Kayani breaking", m.Text));
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

    [Fact]
    public void An_urdu_digest_reads_right_to_left_headlines_with_their_links()
    {
        // Formatting alone, compared with a golden file: a date of its own, not the test clock's.
        var published = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
        var lines = Enumerable.Range(1, 3).Select(i => MessageFormatter.DigestLine(
            Article.From("pt", new FeedEntry($"k{i}", $"آرمی چیف جنرل کیانی کا امریکی مطالبات ماننے سے انکار {i}", $"https://urdu.example/{i}#comments", published.AddMinutes(i), null, [], "", ""), published, []),
            "ڈان نیوز", new ChannelDefinition("desk", "@urdu_desk") { TimeZone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi") })).ToList();

        var (html, count) = Assert.Single(MessageFormatter.Digest(lines, published.AddHours(1), TimeZoneInfo.FindSystemTimeZoneById("Asia/Karachi")));

        Assert.Equal(3, count);
        Assert.Null(TelegramHtml.Validate(html));
        var golden = Path.Combine(Repo.Root, "tests", "Syndication.Tests", "testdata", "golden", "digest-urdu.html");
        if (Environment.GetEnvironmentVariable("SYNDICATION_UPDATE_GOLDEN") == "1") File.WriteAllText(golden, html);
        Assert.Equal(File.ReadAllText(golden), html);
    }

    [Fact]
    public void Only_a_digest_line_waits_for_the_digest_an_urgent_alert_of_the_same_channel_does_not()
    {
        var config = ConfigParser.Parse("""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "digest": { "every": "1h" } } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ] }
            """, "test");
        var queued = new DateTimeOffset(2026, 11, 28, 7, 5, 0, TimeSpan.Zero);

        Assert.True(config.WaitsByChoice("desk", queued, forDigest: true, queued.AddMinutes(10)));
        Assert.False(config.WaitsByChoice("desk", queued, forDigest: true, queued.AddMinutes(55)));
        Assert.False(config.WaitsByChoice("desk", queued, forDigest: false, queued.AddMinutes(10)));
    }

    [Theory]
    [InlineData("1h", "2026-11-28T12:05:00+05:00", "2026-11-28T13:00:00+05:00")]
    [InlineData("30m", "2026-11-28T12:05:00+05:00", "2026-11-28T12:30:00+05:00")]
    [InlineData("7h", "2026-11-28T22:30:00+05:00", "2026-11-29T00:00:00+05:00")]
    [InlineData("1h", "2026-11-28T13:00:00+05:00", "2026-11-28T14:00:00+05:00")]
    public void A_period_counts_from_midnight_on_the_channels_clocks(string every, string queued, string next)
    {
        var config = ConfigParser.Parse($$"""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "timeZone": "Asia/Karachi", "digest": { "every": "{{every}}" } } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] } ] }
            """, "test");
        var channel = config.Channels[0];

        Assert.Equal(DateTimeOffset.Parse(next), channel.Digest!.NextAfter(DateTimeOffset.Parse(queued), channel.TimeZone));
    }

    [Theory]
    [InlineData("0 8 * * 1")]     // weekly: 7 days apart, the longest allowed
    [InlineData("* * * * *")]     // every minute: found fine without walking 4 million runs
    [InlineData("0 8,18 * * 1-5")] // weekdays: the weekend's gap is 3 days
    public void A_schedule_that_comes_at_least_weekly_is_a_digest(string cron) =>
        Assert.Null(DigestSchedule.FromCron(cron, out _)!.TooRare());

    [Theory]
    [InlineData("{ \"every\": \"1x\" }", "channels[0].digest.every: '1x' is not a period from \"5m\" to \"24h\"")]
    [InlineData("{ \"every\": \"2m\" }", "channels[0].digest.every: '2m' is not a period from \"5m\" to \"24h\"")]
    [InlineData("{ \"cron\": \"0 25 * * *\" }", "channels[0].digest.cron: '0 25 * * *' is not a cron expression of five fields")]
    [InlineData("{ \"every\": \"1h\", \"cron\": \"0 8 * * *\" }", "channels[0].digest: give either every or cron, not both")]
    [InlineData("{ }", "channels[0].digest: missing every or cron")]
    // Before: both passed check, and status called the channel ok while its alerts waited for ever, or until 2028.
    [InlineData("{ \"cron\": \"0 0 30 2 *\" }", "channels[0].digest.cron: '0 0 30 2 *' is too rare for a digest: it never comes (no date matches it)")]
    [InlineData("{ \"cron\": \"0 0 29 2 *\" }", "channels[0].digest.cron: '0 0 29 2 *' is too rare for a digest: its runs can be 1,461 days apart (it would first come on 29 Feb 2028; for example from 29 Feb 2028 to 29 Feb 2032)")]
    [InlineData("{ \"cron\": \"0 8 1 * *\" }", "channels[0].digest.cron: '0 8 1 * *' is too rare for a digest: its runs can be 31 days apart")]
    [InlineData("{ \"evry\": \"1h\" }", "channels[0].digest.evry: unknown field 'evry'; did you mean 'every'?")]
    [InlineData("\"hourly\"", "channels[0].digest: must be an object such as { \"every\": \"1h\" }")]
    public void Check_says_what_is_wrong_with_a_digest_and_where(string digest, string error)
    {
        var json = $$"""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "digest": {{digest}} } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"], "urgent": true } ] }
            """;

        var thrown = Assert.Throws<ConfigException>(() => ConfigParser.Parse(json, "test"));

        Assert.Contains(thrown.Errors, e => e.ToString().StartsWith(error, StringComparison.Ordinal));
    }
}
