using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>What a subscriber types after <c>/watch</c>, read as the rule language reads a rule, without I/O.</summary>
public sealed class WatchTextTests
{
    static readonly SyndicationConfig Config = ConfigParser.Parse("""
        {
          "feeds": [
            { "id": "dawn", "url": "https://dawn.example/feed", "tags": ["pakistan", "economy"] },
            { "id": "geo", "url": "https://geo.example/feed", "tags": ["pakistan"] }
          ],
          "channels": [ { "id": "desk", "chat": "@desk" } ],
          "rules": [ { "id": "r", "anyOf": ["x"], "channels": ["desk"] } ]
        }
        """, "test");

    static Watch Read(string text) => Assert.IsType<WatchParse.Read>(WatchText.Parse(text, Config)).Watch;

    static string Refused(string text) => Assert.IsType<WatchParse.Refused>(WatchText.Parse(text, Config)).Reason;

    [Theory]
    [InlineData("Kayani", "Kayani", "", "")]
    [InlineData("\"Haqqani network\" -cricket", "Haqqani network", "cricket", "")]
    [InlineData("“Haqqani network” -“cricket match”", "Haqqani network", "cricket match", "")]
    [InlineData("IMF feed:dawn", "IMF", "", "dawn")]
    [InlineData("IMF feed:Dawn tag:economy", "IMF", "", "dawn|tag:economy")]
    [InlineData("Kayani Haqqani", "Kayani|Haqqani", "", "")]
    [InlineData("Kayani kayani KAYANI", "Kayani", "", "")]
    [InlineData("loan* -cricket -Cricket", "loan*", "cricket", "")]
    [InlineData("  IMF   -\"World Bank\"  feed:geo ", "IMF", "World Bank", "geo")]
    public void A_watch_reads_as_terms_exclusions_and_scopes(string text, string terms, string excluded, string scopes)
    {
        var watch = Read(text);

        Assert.Equal(Split(terms), watch.Terms);
        Assert.Equal(Split(excluded), watch.Excluded);
        Assert.Equal(Split(scopes), watch.Scopes);
        Assert.Equal(text.Trim(), watch.Text);

        static string[] Split(string joined) => joined.Length == 0 ? [] : joined.Split('|');
    }

    [Theory]
    [InlineData("", "Tell me what to watch")]
    [InlineData("   ", "Tell me what to watch")]
    [InlineData("-cricket", "at least one word or phrase to look for")]
    [InlineData("feed:dawn", "at least one word or phrase to look for")]
    [InlineData("IMF feed:dawnn", "There is no feed 'dawnn'; did you mean 'dawn'?")]
    [InlineData("IMF feed:bbc", "There is no feed 'bbc'; the feeds are dawn, geo.")]
    [InlineData("IMF feed:", "'feed:' needs a feed's name, one of dawn, geo.")]
    [InlineData("IMF tag:economi", "No feed has the tag 'economi'; did you mean 'economy'?")]
    [InlineData("IMF tag:sport", "No feed has the tag 'sport'; the tags are pakistan, economy.")]
    [InlineData("/IMF|World Bank/i", "is a pattern; patterns are for editors' rules")]
    [InlineData("/IMF/", "is a pattern")]
    [InlineData("IMF -", "'-' needs a word or a phrase after it")]
    [InlineData("IMF -imf", "'IMF' is both looked for and left out")]
    [InlineData("\"\"", "at least one word or phrase")]
    public void A_watch_that_cannot_work_is_refused_saying_what_to_change(string text, string reason) =>
        Assert.Contains(reason, Refused(text));

    [Fact]
    public void A_watch_is_at_most_200_characters_and_says_how_long_it_was()
    {
        Assert.Equal(200, Read(new string('a', 200)).Text.Length);
        Assert.Equal("A watch is at most 200 characters; this one has 201. Keep its key words.", Refused(new string('a', 201)));
    }

    static readonly DateTimeOffset Now = TestClock.Start;

    static bool Matches(string watchText, string feedId, string title, string text = "")
    {
        var rule = Read(watchText).ToRule("watch-1", "person-42");
        var config = Config with { Rules = [rule] };
        var entry = new FeedEntry("k", title, "https://dawn.example/1", Now, null, [], text, text);
        return RuleMatcher.For(config).Match(feedId, entry).Any(m => m.RuleId == "watch-1");
    }

    [Theory]
    [InlineData("\"Haqqani network\" -cricket", "dawn", "Haqqani network blamed for attack", "", true)]
    [InlineData("\"Haqqani network\" -cricket", "dawn", "Haqqani network and a cricket final", "", false)]
    [InlineData("\"Haqqani network\"", "dawn", "Network of Haqqani", "", false)]           // a phrase, in order
    [InlineData("Kayani Haqqani", "dawn", "Kayani speaks", "The Haqqani network was named.", true)] // all, anywhere
    [InlineData("Kayani Haqqani", "dawn", "Kayani speaks", "Nothing else.", false)]
    [InlineData("IMF feed:dawn", "dawn", "IMF loan approved", "", true)]
    [InlineData("IMF feed:dawn", "geo", "IMF loan approved", "", false)]
    [InlineData("IMF tag:economy", "dawn", "IMF loan approved", "", true)]
    [InlineData("IMF tag:economy", "geo", "IMF loan approved", "", false)]
    [InlineData("kayani", "geo", "KAYANI balks at US demands", "", true)]                // case folded
    [InlineData("Kayani", "geo", "Kayanis in town", "", false)]                          // a word, not inside one
    [InlineData("loan*", "geo", "Loans rescheduled", "", true)]                          // a prefix
    public void A_watch_matches_as_an_editors_rule_with_the_same_terms_would(string watch, string feed, string title, string text, bool matches) =>
        Assert.Equal(matches, Matches(watch, feed, title, text));
}
