using System.Text;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Previews;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>The last day's headline log and what a new watch would have matched in it, without I/O.</summary>
public sealed class WatchPreviewTests
{
    static readonly DateTimeOffset Now = TestClock.Start;

    static readonly SyndicationConfig Config = ConfigParser.Parse("""
        {
          "feeds": [
            { "id": "dawn", "url": "https://dawn.example/feed", "tags": ["pakistan"] },
            { "id": "geo", "url": "https://geo.example/feed" }
          ],
          "channels": [ { "id": "desk", "chat": "@desk" } ],
          "rules": [ { "id": "r", "anyOf": ["x"], "channels": ["desk"] } ]
        }
        """, "test");

    static Headline Headline(string feed, string title, string lead = "", int minutesAgo = 10) =>
        new(feed, "https://" + feed + ".example/" + title.GetHashCode(StringComparison.Ordinal), title, "https://" + feed + ".example/a", Now.AddMinutes(-minutesAgo), [], lead, Now.AddMinutes(-minutesAgo));

    static Watch Watch(string text) => Assert.IsType<WatchParse.Read>(WatchText.Parse(text, Config)).Watch;

    [Fact]
    public void The_log_names_one_blob_an_hour_and_a_day_back_spans_25_of_them()
    {
        Assert.Equal($"headlines/{Now:yyyy-MM-dd-HH}.jsonl", HeadlineLog.NameFor(Now.AddMinutes(59)));
        var names = HeadlineLog.NamesBetween(Now.AddMinutes(30) - WatchPreview.Window, Now.AddMinutes(30));
        Assert.Equal(25, names.Count);
        Assert.Equal($"headlines/{Now.AddDays(-1):yyyy-MM-dd-HH}.jsonl", names[0]);
        Assert.Equal($"headlines/{Now:yyyy-MM-dd-HH}.jsonl", names[^1]);
    }

    [Fact]
    public void Lines_round_trip_and_a_torn_line_is_skipped()
    {
        var headlines = new[] { Headline("dawn", "IMF approves loan", "The board met."), Headline("geo", "سیلاب سے نقصان", "تفصیل") };
        var text = Encoding.UTF8.GetString(Assert.Single(HeadlineLog.Blocks(headlines)));

        Assert.Equal(2, text.Count(c => c == '\n'));
        Assert.Equal(headlines.Select(h => h.Title), HeadlineLog.Parse(text + "{\"feedId\":\"dawn\"}\nnull\n{\"feedId\":\"dawn\",\"tit").Select(h => h.Title));
    }

    [Fact]
    public void Blocks_stay_within_what_an_append_blob_takes()
    {
        var lead = new string('x', Articles.Headline.LeadLength);
        var many = Enumerable.Range(0, 20_000).Select(i => Headline("dawn", "Story " + i, lead)).ToList();

        var blocks = HeadlineLog.Blocks(many);

        Assert.True(blocks.Count > 1);
        Assert.All(blocks, b => Assert.InRange(b.Length, 1, 4 * 1024 * 1024));
        Assert.Equal(many.Count, blocks.Sum(b => HeadlineLog.Parse(Encoding.UTF8.GetString(b)).Count()));
    }

    [Fact]
    public void A_lead_is_cut_so_the_log_stays_small()
    {
        var article = new Article("dawn", "k", "Title", null, null, null, [], new string('a', 5000), new string('b', 9000), Now, []);
        Assert.Equal(Articles.Headline.LeadLength, Articles.Headline.Of(article).Lead.Length);
    }

    [Fact]
    public void A_watch_matches_by_the_rule_it_is_with_exclusions_scopes_and_the_lead()
    {
        var log = new[]
        {
            Headline("dawn", "IMF approves loan tranche", minutesAgo: 30),
            Headline("geo", "Talks in Islamabad", "The IMF mission met the minister.", minutesAgo: 20),
            Headline("dawn", "Cricket: Pakistan win", "The IMF sponsor cup.", minutesAgo: 10),
            Headline("geo", "Rain in Lahore"),
        };

        Assert.Equal(["Cricket: Pakistan win", "Talks in Islamabad", "IMF approves loan tranche"], WatchPreview.Match(Watch("IMF"), Config, log).Matched.Select(h => h.Title));
        Assert.Equal(["Talks in Islamabad", "IMF approves loan tranche"], WatchPreview.Match(Watch("IMF -cricket"), Config, log).Matched.Select(h => h.Title));
        Assert.Equal(["Cricket: Pakistan win", "IMF approves loan tranche"], WatchPreview.Match(Watch("imf feed:dawn"), Config, log).Matched.Select(h => h.Title));
        Assert.Equal(["Cricket: Pakistan win", "IMF approves loan tranche"], WatchPreview.Match(Watch("IMF tag:pakistan"), Config, log).Matched.Select(h => h.Title));
        Assert.Equal(4, WatchPreview.Match(Watch("Karachi"), Config, log).Read);
    }

    [Fact]
    public void A_busy_watch_shows_five_and_suggests_narrowing_it_or_a_digest()
    {
        var log = Enumerable.Range(0, 40).Select(i => Headline("dawn", $"IMF story {i} <b>", minutesAgo: 40 - i)).ToList();

        var text = WatchPreview.Describe(WatchPreview.Match(Watch("IMF"), Config, log), "en");

        Assert.StartsWith("In the last 24 hours it would have matched 40 of 40 new articles, the newest:", text);
        Assert.Equal(5, text.Split('\n').Count(l => l.StartsWith("• ", StringComparison.Ordinal)));
        Assert.Contains("IMF story 39 &lt;b&gt;", text);
        Assert.EndsWith("/digest daily.", text);
        Assert.DoesNotContain("/digest", WatchPreview.Describe(WatchPreview.Match(Watch("IMF"), Config, log.Take(WatchPreview.Busy).ToList()), "en"));
    }

    [Fact]
    public void The_answer_is_in_urdu_for_an_urdu_subscriber()
    {
        var text = WatchPreview.Describe(WatchPreview.Match(Watch("Karachi"), Config, [Headline("dawn", "IMF")]), "ur");
        Assert.Contains("24 گھنٹوں", text);
        Assert.Contains("1 نئی خبروں", text);
    }
}
