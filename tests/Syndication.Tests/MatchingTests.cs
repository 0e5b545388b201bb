using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>The rule language, table by table. Every case goes through the compiled matcher the sweep uses.</summary>
public sealed class MatchingTests
{
    static FeedEntry Entry(string title, string text = "", string summary = "", string? author = null, string? link = null, params string[] categories) =>
        new("k", title, link, null, author, categories, summary, text);

    static RuleDefinition Rule(string id, string[]? anyOf = null, string[]? allOf = null, string[]? noneOf = null,
        string[]? feeds = null, bool caseSensitive = false, ArticleField fields = ArticleField.Default, bool enabled = true, string[]? channels = null) =>
        new(id, channels ?? ["desk"], feeds, anyOf ?? [], allOf ?? [], noneOf ?? [], caseSensitive, fields, enabled);

    static SyndicationConfig Config(params RuleDefinition[] rules) => new(
        [new FeedDefinition("pt", new Uri("https://pt.example/feed"), 0, null, ["pakistan"]), new FeedDefinition("bbc", new Uri("https://bbc.example/feed"), 0, null, ["world"])],
        [new ChannelDefinition("desk", "@desk"), new ChannelDefinition("sports", "@sports", ["cricket"]), new ChannelDefinition("quiet", "@quiet", ["opinion"])],
        rules);

    static bool Matches(string term, string text, bool caseSensitive = false) =>
        new RuleMatcher(Config(Rule("r", anyOf: [term], caseSensitive: caseSensitive))).Match("pt", Entry(text)).Count == 1;

    [Theory]
    // whole words, case-insensitive
    [InlineData("Kayani", "General Kayani said", true)]
    [InlineData("kayani", "GENERAL KAYANI SAID", true)]
    [InlineData("ISI", "a crisis in the region", false)]
    [InlineData("US", "the bus left", false)]
    [InlineData("US", "the US said", true)]
    [InlineData("US", "pressure from US-led forces", true)]
    [InlineData("Kayani", "Kayani's confidants", true)]
    [InlineData("Kayani", "Kayani", true)] // the whole text
    [InlineData("Kayani", "Kayani spoke", true)] // very start
    [InlineData("Kayani", "said Kayani", true)] // very end
    [InlineData("Kayani", "Kayanis", false)]
    // accents and case fold both ways
    [InlineData("Zurich", "talks in Zürich", true)]
    [InlineData("Zürich", "talks in Zurich", true)]
    [InlineData("ZÜRICH", "talks in zürich", true)]
    [InlineData("Sao Paulo", "São Paulo mayor", true)]
    [InlineData("Ελλάδα", "ΕΛΛΑΔΑ σήμερα", true)]
    // phrases across line breaks, space runs and punctuation
    [InlineData("Haqqani network", "the Haqqani\nnetwork in Waziristan", true)]
    [InlineData("Haqqani network", "the Haqqani   network", true)]
    [InlineData("Haqqani network", "the Haqqani-network", true)]
    [InlineData("Haqqani network", "Haqqani, network", true)]
    [InlineData("Haqqani network", "Haqqani networks", false)]
    [InlineData("Haqqani network", "network Haqqani", false)]
    [InlineData("Lashkar-e-Taiba", "Lashkar e Taiba leaders", true)]
    // prefixes
    [InlineData("negotiat*", "negotiations resumed", true)]
    [InlineData("negotiat*", "they will negotiate", true)]
    [InlineData("negotiat*", "renegotiated deal", false)]
    [InlineData("peace negotiat*", "peace negotiators met", true)]
    [InlineData("peace negotiat*", "peace talks", false)]
    // Urdu and other scripts
    [InlineData("فوج", "پاکستان فوج کے سربراہ", true)]
    [InlineData("فوج", "فوجی قیادت", false)]
    [InlineData("آرمی چیف", "پاکستان کے آرمی\nچیف نے کہا", true)]
    [InlineData("کیانی", "جنرل کیانی۔", true)]
    [InlineData("فوج*", "فوجی قیادت", true)]
    [InlineData("Москва", "в МОСКВА сегодня", true)]
    [InlineData("北京", "今天北京下雪", true)]
    [InlineData("東京", "今天北京下雪", false)]
    // regular expressions
    [InlineData("/F-?16s?/", "a squadron of F16s", true)]
    [InlineData("/f-?16/", "a squadron of F16s", false)]
    [InlineData("/f-?16/i", "a squadron of F16s", true)]
    [InlineData("/\\b\\d{2,3} (killed|dead)\\b/", "at least 14 killed in blast", true)]
    public void Terms_match_as_documented(string term, string text, bool expected) =>
        Assert.Equal(expected, Matches(term, text));

    /// <summary>The reference's table of terms (docs/configuration.md, "Terms"): every example it gives does as it says.</summary>
    [Fact]
    public void The_references_examples_of_terms_match_as_it_says()
    {
        var lines = File.ReadAllLines(Path.Combine(Repo.Root, "docs", "configuration.md"));
        var table = lines.SkipWhile(l => l != "### Terms").Skip(4).TakeWhile(l => l.StartsWith('|')).ToList();
        // The examples are the quoted texts of each cell; an aside in brackets is not one.
        static List<string> Quoted(string cell) =>
            [.. System.Text.RegularExpressions.Regex.Matches(System.Text.RegularExpressions.Regex.Replace(cell, @" \([^)]*\)", "").Replace("`↵`", "\n"), "`([^`]+)`").Select(m => m.Groups[1].Value)];
        var examples = 0;
        foreach (var row in table)
        {
            var cells = row.Split('|');
            var term = Quoted(cells[1])[0];
            foreach (var text in Quoted(cells[2])) { Assert.True(Matches(term, text), $"{term} should match {text}"); examples++; }
            foreach (var text in Quoted(cells[3])) { Assert.False(Matches(term, text), $"{term} should not match {text}"); examples++; }
        }
        Assert.InRange(table.Count, 14, 40);
        Assert.InRange(examples, 30, 120);
    }

    [Theory]
    [InlineData("US", "the US said", true)]
    [InlineData("US", "told us", false)]
    [InlineData("Zurich", "ZURICH", false)]
    [InlineData("Zurich", "Zürich", true)]
    public void Case_sensitive_rules_match_exact_case_but_still_ignore_accents(string term, string text, bool expected) =>
        Assert.Equal(expected, Matches(term, text, caseSensitive: true));

    [Fact]
    public void AnyOf_allOf_and_noneOf_combine_with_exclusion_winning()
    {
        var matcher = new RuleMatcher(Config(
            Rule("any", anyOf: ["Kayani", "Haqqani network"]),
            Rule("all", allOf: ["Kayani", "Pakistan"]),
            Rule("both", anyOf: ["Taliban"], allOf: ["Pakistan"]),
            Rule("none", anyOf: ["Kayani"], noneOf: ["cricket"])));

        Assert.Equal(["any", "none"], matcher.Match("pt", Entry("Kayani speaks")).Select(m => m.RuleId));
        Assert.Equal(["any", "all"], matcher.Match("pt", Entry("Kayani at cricket match", "Pakistan won")).Select(m => m.RuleId));
        Assert.Empty(matcher.Match("pt", Entry("Taliban talks")));
        Assert.Equal(["both"], matcher.Match("pt", Entry("Taliban talks in Pakistan")).Select(m => m.RuleId));
    }

    [Fact]
    public void Overlapping_terms_all_count()
    {
        var match = Assert.Single(new RuleMatcher(Config(Rule("r", allOf: ["Haqqani", "Haqqani network", "network", "Haq*"])))
            .Match("pt", Entry("the Haqqani network")));

        Assert.Equal(["Haqqani", "Haqqani network", "network", "Haq*"], match.Terms);
    }

    [Fact]
    public void A_match_explains_each_term_with_its_field_and_a_snippet()
    {
        var match = Assert.Single(new RuleMatcher(Config(Rule("r", anyOf: ["Haqqani network", "Omar"], allOf: ["Kayani"])))
            .Match("pt", Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs))));

        Assert.Equal(["Haqqani network", "Omar", "Kayani"], match.Terms);
        var kayani = match.Hits.Single(h => h.Term == "Kayani");
        Assert.Equal("title", kayani.Field);
        Assert.Equal("[Kayani] balks at US demands to cooperate: NYT", kayani.Snippet);
        var haqqani = match.Hits.Single(h => h.Term == "Haqqani network");
        Assert.Equal("text", haqqani.Field);
        Assert.Contains("[Haqqani network]", haqqani.Snippet);
        Assert.True(haqqani.Snippet.Length < 160);
    }

    [Fact]
    public void Fields_limit_what_a_rule_looks_at()
    {
        var entry = Entry("Markets", text: "Kayani spoke", author: "Ayesha Kayani", link: "https://news.example/kayani-story", categories: ["Army", "Kayani"]);
        bool In(ArticleField fields) => new RuleMatcher(Config(Rule("r", anyOf: ["Kayani"], fields: fields))).Match("pt", entry).Count == 1;

        Assert.False(In(ArticleField.Title));
        Assert.True(In(ArticleField.Text));
        Assert.True(In(ArticleField.Author));
        Assert.True(In(ArticleField.Categories));
        Assert.True(In(ArticleField.Link));
        Assert.False(In(ArticleField.Title | ArticleField.Summary));
    }

    [Fact]
    public void Feeds_are_chosen_by_id_or_by_tag()
    {
        var matcher = new RuleMatcher(Config(Rule("by-id", anyOf: ["Kayani"], feeds: ["bbc"]), Rule("by-tag", anyOf: ["Kayani"], feeds: ["tag:pakistan"])));

        Assert.Equal(["by-tag"], matcher.Match("pt", Entry("Kayani")).Select(m => m.RuleId));
        Assert.Equal(["by-id"], matcher.Match("bbc", Entry("Kayani")).Select(m => m.RuleId));
    }

    [Fact]
    public void A_disabled_rule_never_matches()
    {
        var matcher = new RuleMatcher(Config(Rule("off", anyOf: ["Kayani"], enabled: false), Rule("on", anyOf: ["Kayani"])));

        Assert.Equal(["on"], matcher.Match("pt", Entry("Kayani")).Select(m => m.RuleId));
        Assert.DoesNotContain(matcher.Explain("pt", Entry("Kayani")), v => v.RuleId == "off");
    }

    [Fact]
    public void Channel_noneOf_and_rule_noneOf_merge_and_exclusion_wins()
    {
        var matcher = new RuleMatcher(Config(Rule("r", anyOf: ["Kayani"], noneOf: ["opinion"], channels: ["desk", "sports", "quiet"])));

        // The channel's noneOf keeps the article out of that channel only.
        var cricket = Assert.Single(matcher.Match("pt", Entry("Kayani at the cricket")));
        Assert.Equal(["desk", "quiet"], cricket.Channels);
        var verdict = Assert.Single(matcher.Explain("pt", Entry("Kayani at the cricket")));
        Assert.Equal("sports", Assert.Single(verdict.ChannelBlocks).ChannelId);
        Assert.Equal("cricket", verdict.ChannelBlocks[0].By.Term);

        // The rule's noneOf keeps it out of every channel, including one whose own noneOf says the same.
        Assert.Empty(matcher.Match("pt", Entry("Kayani opinion piece")));
        var blocked = Assert.Single(matcher.Explain("pt", Entry("Kayani opinion piece")));
        Assert.Equal("blocked by noneOf: 'opinion' in title", blocked.Reason);

        // Both at once: still blocked everywhere.
        Assert.Empty(matcher.Match("pt", Entry("Kayani opinion on cricket")));
    }

    [Fact]
    public void A_rule_whose_every_channel_is_blocked_does_not_match()
    {
        var matcher = new RuleMatcher(Config(Rule("r", anyOf: ["Kayani"], channels: ["sports"])));

        Assert.Empty(matcher.Match("pt", Entry("Kayani at the cricket")));
        Assert.StartsWith("every channel blocked: sports by 'cricket'", Assert.Single(matcher.Explain("pt", Entry("Kayani at the cricket"))).Reason);
    }

    [Fact]
    public void Explanations_say_why_a_rule_did_not_match()
    {
        var matcher = new RuleMatcher(Config(Rule("all", anyOf: ["Taliban"], allOf: ["Pakistan", "Kabul"])));

        Assert.Equal("no anyOf term found", matcher.Explain("pt", Entry("Pakistan and Kabul")).Single().Reason);
        Assert.Equal("missing allOf: 'Kabul'", matcher.Explain("pt", Entry("Taliban in Pakistan")).Single().Reason);
    }

    [Fact]
    public void A_regex_that_would_backtrack_catastrophically_finishes_quickly()
    {
        var text = new string('a', 50_000) + "!";
        var started = System.Diagnostics.Stopwatch.StartNew();

        var nonBacktracking = Matches("/(a+)+$/", text);
        var withBackreference = Matches("/(a+)+\\1b/", text); // needs backtracking: runs under a timeout instead

        Assert.False(nonBacktracking);
        Assert.False(withBackreference);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"took {started.Elapsed}");
    }

    [Fact]
    public void Identical_terms_across_rules_are_compiled_once()
    {
        var matcher = new RuleMatcher(Config(Rule("a", anyOf: ["Kayani", "ISI"]), Rule("b", anyOf: ["kayani", "Kayani"], noneOf: ["ISI"])));

        Assert.Equal(2, matcher.TermCount);
    }
}
