using System.Diagnostics;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Summaries;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>Text written to slip past exclusions, turn a message around, or crowd out its link. Pure: no I/O.</summary>
public sealed class HostileTextTests
{
    static SyndicationConfig Config(params string[] noneOf) => new(
        [new FeedDefinition("pt", new Uri("https://pt.example/feed"), 0, null, [])],
        [new ChannelDefinition("desk", "@desk")],
        [new RuleDefinition("r", ["desk"], null, ["Kayani"], [], noneOf, false, ArticleField.Default, true)]);

    static bool Alerts(string title, params string[] noneOf) =>
        new RuleMatcher(Config(noneOf)).Match("pt", new FeedEntry("k", title, null, null, null, [], "", "")).Count == 1;

    [Theory]
    [InlineData("Kayani at the cricket final")]
    [InlineData("Kayani at the \u0441ricket final")]            // Cyrillic с
    [InlineData("Kayani at the cr\u0456\u0441k\u0435t final")]  // Cyrillic і, с, е
    [InlineData("Kayani at the ｃｒｉｃｋｅｔ final")]             // fullwidth
    [InlineData("Kayani at the CRICKET final")]
    [InlineData("Kayani at the \u03BFpinion cricket")]           // Greek ο elsewhere changes nothing
    public void Look_alike_letters_do_not_slip_past_noneOf(string title) =>
        Assert.False(Alerts(title, "cricket"));

    [Theory]
    [InlineData("Kayani meets the press", "cricket", true)]
    [InlineData("Кайани и армия", "армия", false)] // a Cyrillic exclusion still excludes Cyrillic text
    [InlineData("Kayani in Москва", "Москва", false)]
    public void Rules_in_other_scripts_still_match_their_own_script(string title, string noneOf, bool alerts) =>
        Assert.Equal(alerts, Alerts(title, noneOf));

    [Fact]
    public void Bidirectional_overrides_never_reach_a_message()
    {
        var entry = FeedParser.Parse(new FetchedFeed(new Uri("https://pt.example/feed"), System.Text.Encoding.UTF8.GetBytes(Rss.WordPress(
            "Pakistan \u202ETODAY\u202C", new Item("Kayani \u202Egnp.exe\u202C balks", "https://pt.example/a", Description: "<p>Kayani \u2067said\u2069 it. ﺑﺎﺕ \u200F ok.</p>"))), "application/rss+xml", null));
        var item = entry.Entries.Single();

        Assert.Equal("Pakistan TODAY", entry.Title);
        Assert.Equal("Kayani gnp.exe balks", item.Title);
        Assert.Equal("Kayani said it. ﺑﺎﺕ \u200F ok.", item.Text); // the right-to-left mark, which Urdu needs, stays
    }

    [Fact]
    public void A_very_long_feed_title_never_pushes_the_link_out_of_the_message()
    {
        var article = new Article("f", "k", new string('T', 400), "https://news.example/story", null, null, [], "", string.Join(' ', Enumerable.Repeat("Kayani spoke at length.", 300)), DateTimeOffset.UnixEpoch, []);
        foreach (var source in new[] { new string('S', 5000), string.Concat(Enumerable.Repeat("Source name ", 1000)) })
        {
            var html = MessageFormatter.Format(article, source, [new ArticleMatch("kayani", ["Kayani"], ["desk"])]);
            Assert.Contains("<a href=\"https://news.example/story\">Read more</a>", html);
            Assert.EndsWith("#kayani", html);
            Assert.True(global::Telegram.Bot.Extensions.HtmlText.PlainLength(html) <= MessageFormatter.MaxLength);
        }
    }

    [Fact]
    public void A_backtracking_regex_costs_one_timeout_per_article_not_one_per_sentence()
    {
        // Lookaround forces the backtracking engine (100 ms timeout); nested quantifiers make it blow up on every sentence.
        var term = TermSyntax.TryParse("/(?<=\\s)(a+)+b/", false, out var error)!;
        Assert.Null(error);
        var text = string.Join(' ', Enumerable.Range(1, 40).Select(i => $"Sentence {i} {new string('a', 40)}."));
        var clock = Stopwatch.StartNew();

        Summarizer.Summarize(text, "", [term]);

        // Before: 40 sentences × up to 100 ms each.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"summarizing took {clock.Elapsed}");
    }
}
