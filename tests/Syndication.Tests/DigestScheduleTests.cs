using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Sweeps;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Digests decided without storage: which alerts wait for the digest (an urgent rule's do not), when the digest is due on
/// the channel's clocks, which schedules are digests at all, and how a digest reads.
/// </summary>
[Trait(SecondPass.Name, SecondPass.TimeZone)]
public sealed class DigestScheduleTests
{
    [Fact]
    public void An_urgent_rule_still_alerts_at_once_in_a_digest_channel()
    {
        var config = ConfigParser.Parse("""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@security_desk", "digest": { "every": "1h" } } ],
              "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"] },
                         { "id": "breaking", "channels": ["desk"], "anyOf": ["breaking"], "urgent": true } ] }
            """, "test");
        var published = new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero);
        Article Story(string title) => ArticleMessages.Matched("pt", new FeedEntry(title, title, "https://pt.example/1", published, null, [], "", ""), published, RuleMatcher.For(config));

        var line = Assert.Single(MessageFormatter.PerChannel(Story("Kayani speaks"), "Pakistan Today", config));
        var urgent = Assert.Single(MessageFormatter.PerChannel(Story("Kayani breaking"), "Pakistan Today", config));

        Assert.NotNull(line.DigestLine);
        Assert.Null(urgent.DigestLine);
        Assert.True(WaitingAlert.Of(FeedPlanner.Alert(Story("Kayani speaks"), line, published)).ForDigest);
        Assert.False(WaitingAlert.Of(FeedPlanner.Alert(Story("Kayani breaking"), urgent, published)).ForDigest);
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
