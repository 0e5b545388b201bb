using Syndication.Config;
using Syndication.Feeds;
using Syndication.Rules;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

public sealed class MatchingTests
{
    [Theory]
    [InlineData("Kayani", "General Kayani said", true)]
    [InlineData("kayani", "GENERAL KAYANI SAID", true)]
    [InlineData("ISI", "a crisis in the region", false)]
    [InlineData("US", "the bus left", false)]
    [InlineData("US", "the US said", true)]
    [InlineData("US", "pressure from the U.S. and US-led forces", true)]
    [InlineData("Haqqani network", "the Haqqani\nnetwork in Waziristan", true)]
    [InlineData("Haqqani network", "the Haqqani   network", true)]
    [InlineData("Haqqani network", "Haqqani networks", false)]
    [InlineData("Kayani", "Kayani's confidants", true)]
    [InlineData("C++", "written in C++ today", true)]
    [InlineData("Zürich", "talks in Zürich", true)]
    [InlineData("فوج", "پاکستان فوج کے سربراہ", true)]
    [InlineData("فوج", "فوجی", false)]
    public void Terms_match_whole_words_case_insensitively(string term, string text, bool expected) =>
        Assert.Equal(expected, TermPattern.IsFoundIn(term, text));

    static FeedEntry Entry(string title, string text = "") => new("k", title, null, null, null, [], "", text);

    static RuleDefinition Rule(string id, string[]? anyOf = null, string[]? allOf = null, string[]? noneOf = null, string[]? feeds = null) =>
        new(id, ["desk"], feeds, anyOf ?? [], allOf ?? [], noneOf ?? []);

    [Fact]
    public void AnyOf_allOf_and_noneOf_combine_with_exclusion_winning()
    {
        var matcher = new RuleMatcher([
            Rule("any", anyOf: ["Kayani", "Haqqani network"]),
            Rule("all", allOf: ["Kayani", "Pakistan"]),
            Rule("both", anyOf: ["Taliban"], allOf: ["Pakistan"]),
            Rule("none", anyOf: ["Kayani"], noneOf: ["cricket"]),
        ]);

        Assert.Equal(["any", "none"], matcher.Match("f", Entry("Kayani speaks")).Select(m => m.RuleId));
        Assert.Equal(["any", "all"], matcher.Match("f", Entry("Kayani at cricket match", "Pakistan won")).Select(m => m.RuleId));
        Assert.Empty(matcher.Match("f", Entry("Taliban talks")));
        Assert.Equal(["both"], matcher.Match("f", Entry("Taliban talks in Pakistan")).Select(m => m.RuleId));
    }

    [Fact]
    public void A_match_records_the_terms_that_hit()
    {
        var match = Assert.Single(new RuleMatcher([Rule("r", anyOf: ["Kayani", "Haqqani network", "Omar"], allOf: ["Pakistan"])])
            .Match("f", Entry(Fixture.Title, string.Join('\n', Fixture.Paragraphs))));

        Assert.Equal(["Kayani", "Haqqani network", "Omar", "Pakistan"], match.Terms);
    }

    [Fact]
    public void A_rule_limited_to_feeds_ignores_others()
    {
        var matcher = new RuleMatcher([Rule("r", anyOf: ["Kayani"], feeds: ["dawn"])]);

        Assert.Single(matcher.Match("dawn", Entry("Kayani")));
        Assert.Empty(matcher.Match("pakistan-today", Entry("Kayani")));
    }
}
