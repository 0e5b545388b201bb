using System.Text.Json.Nodes;
using Syndication.Config;
using Syndication.Editing;

namespace Syndication.Tests;

/// <summary>What each editor's command does to the configuration's JSON: pure, no storage, no Telegram.</summary>
public sealed class ConfigEditsTests
{
    const string Json = """
        {
          // editors' notes
          "feeds": [ { "id": "pt", "url": "https://www.pakistantoday.com.pk/feed/" }, { "id": "dawn", "url": "https://www.dawn.com/feeds/home", "enabled": false } ],
          "channels": [ { "id": "desk", "chat": "@security_desk" } ],
          "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"], "noneOf": ["cricket"], "pausedUntil": "2026-11-29T18:00:00Z" } ]
        }
        """;

    static readonly DateTimeOffset Now = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>Applies the edit to a fresh copy and returns its words and the configuration it leaves, validated as check would.</summary>
    static (string Said, SyndicationConfig After) Apply(Func<JsonObject, SyndicationConfig, string> edit)
    {
        var root = JsonNode.Parse(Json, documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        var said = edit(root, ConfigParser.Parse(Json, "test"));
        return (said, ConfigParser.Parse(root.ToJsonString(), "after"));
    }

    static string Refusal(Func<JsonObject, SyndicationConfig, string> edit) => Assert.Throws<EditRefusedException>(() => Apply(edit)).Message;

    [Fact]
    public void Adding_terms_adds_only_the_new_ones_in_order()
    {
        var (said, after) = Apply((root, config) => ConfigEdits.AddTerms(root, config, "kayani", "anyOf", ["army chief", "Kayani", "ISI", "ISI"]));

        Assert.Equal("kayani: anyOf + army chief, ISI", said);
        Assert.Equal(["Kayani", "army chief", "ISI"], after.Rules[0].AnyOf);
        Assert.Equal("Rule 'kayani' already has Kayani in anyOf.", Refusal((root, config) => ConfigEdits.AddTerms(root, config, "kayani", "anyOf", ["Kayani"])));
        Assert.Equal(["cricket", "football"], Apply((root, config) => ConfigEdits.AddTerms(root, config, "kayani", "noneOf", ["football"])).After.Rules[0].NoneOf);
    }

    [Fact]
    public void A_rule_holds_at_most_1000_terms()
    {
        var many = Enumerable.Range(0, 998).Select(i => $"t{i}").ToList();

        Assert.Equal(1000, Apply((root, config) => ConfigEdits.AddTerms(root, config, "kayani", "anyOf", many)).After.Rules[0].AnyOf.Count + 1);
        Assert.Contains("would have 1001 terms; a rule may have at most 1000", Refusal((root, config) => ConfigEdits.AddTerms(root, config, "kayani", "anyOf", [.. many, "one more"])));
        Assert.Contains("would have 1001 terms", Refusal((root, config) => ConfigEdits.NewRule(root, config, "big", "desk", [.. Enumerable.Range(0, 1001).Select(i => $"t{i}")])));
    }

    [Fact]
    public void Removing_a_term_the_rule_lacks_changes_nothing()
    {
        Assert.Equal("Rule 'kayani' has no term “Mullen”; /rule kayani shows its terms. Nothing was changed.",
            Refusal((root, config) => ConfigEdits.RemoveTerms(root, config, "kayani", ["cricket", "Mullen"])));
        var (said, after) = Apply((root, config) => ConfigEdits.RemoveTerms(root, config, "kayani", ["cricket"]));
        Assert.Equal("kayani: − cricket", said);
        Assert.Empty(after.Rules[0].NoneOf);
    }

    [Fact]
    public void A_new_rule_sends_to_its_channel_and_an_existing_id_is_refused()
    {
        var (said, after) = Apply((root, config) => ConfigEdits.NewRule(root, config, "imf", "desk", ["IMF", "State Bank", "IMF"]));

        Assert.Equal("new rule imf → desk: IMF, State Bank", said);
        Assert.Equal(["IMF", "State Bank"], after.Rules[1].AnyOf);
        Assert.Equal(["desk"], after.Rules[1].Channels);
        Assert.StartsWith("There is already a rule 'kayani'", Refusal((root, config) => ConfigEdits.NewRule(root, config, "kayani", "desk", ["x"])));
    }

    [Fact]
    public void A_pause_is_kept_to_the_minute_and_a_resume_clears_both_kinds()
    {
        var (said, after) = Apply((root, config) => ConfigEdits.Pause(root, config, "kayani", Now.AddHours(6).AddSeconds(42)));
        Assert.Equal("kayani paused until 2026-11-29 18:00 UTC", said);
        Assert.Equal(Now.AddHours(6), after.Rules[0].PausedUntil);
        Assert.True(after.Rules[0].Enabled);

        var forever = Apply((root, config) => ConfigEdits.Pause(root, config, "kayani", null)).After.Rules[0];
        Assert.False(forever.Enabled);
        Assert.Null(forever.PausedUntil);

        var resumed = Apply((root, config) => ConfigEdits.Resume(root, config, "kayani", Now)).After.Rules[0];
        Assert.True(resumed.Enabled);
        Assert.Null(resumed.PausedUntil);
        // A pause that has ended is not a pause any more.
        Assert.Equal("Rule 'kayani' is not paused.", Refusal((root, config) => ConfigEdits.Resume(root, config, "kayani", Now.AddDays(1))));
    }

    [Fact]
    public void Feeds_are_paused_resumed_added_and_removed()
    {
        Assert.Equal("Feed 'dawn' is already paused.", Refusal((root, config) => ConfigEdits.SetFeedEnabled(root, config, "dawn", false)));
        Assert.True(Apply((root, config) => ConfigEdits.SetFeedEnabled(root, config, "dawn", true)).After.Feeds[1].Enabled);
        Assert.False(Apply((root, config) => ConfigEdits.SetFeedEnabled(root, config, "pt", false)).After.Feeds[0].Enabled);

        var added = Apply((root, config) => ConfigEdits.AddFeed(root, config, "geo", new Uri("https://www.geo.tv/rss/1/1"))).After;
        Assert.Equal(new Uri("https://www.geo.tv/rss/1/1"), added.Feeds[2].Url);
        Assert.Equal("https://www.dawn.com/feeds/home is already watched as feed 'dawn'.",
            Refusal((root, config) => ConfigEdits.AddFeed(root, config, "dawn2", new Uri("https://www.dawn.com/feeds/home"))));
        Assert.StartsWith("There is already a feed 'pt'", Refusal((root, config) => ConfigEdits.AddFeed(root, config, "pt", new Uri("https://pt.example/rss"))));

        Assert.Equal(["pt"], Apply((root, config) => ConfigEdits.RemoveFeed(root, config, "dawn")).After.Feeds.Select(f => f.Id));
        Assert.Equal("There is no feed 'dwan'; did you mean 'dawn'? /feeds lists them.",
            Refusal((root, config) => ConfigEdits.RemoveFeed(root, config, "dwan")));
    }

    [Fact]
    public void An_unknown_rule_is_named_with_a_suggestion()
    {
        Assert.Equal("There is no rule 'imf'. /rules lists them.", Refusal((root, config) => ConfigEdits.AddTerms(root, config, "imf", "anyOf", ["IMF"])));
        Assert.Equal("There is no rule 'kayan'; did you mean 'kayani'? /rules lists them.", Refusal((root, config) => ConfigEdits.Pause(root, config, "kayan", null)));
    }

    [Theory]
    [InlineData("""[ { "id": "a", "channels": ["desk"], "anyOf": ["x"] }, { "id": "b", "channels": ["desk"], "anyOf": ["y"] }, { "id": "c", "channels": ["desk"], "anyOf": ["z"] } ]""",
        "Rules a, b and c read it, as they read every feed.")]
    [InlineData("""[ { "id": "a", "channels": ["desk"], "anyOf": ["x"] }, { "id": "b", "channels": ["desk"], "anyOf": ["y"], "feeds": ["pt"] } ]""",
        "Rule a reads it, as it reads every feed.")]
    [InlineData("""[ { "id": "b", "channels": ["desk"], "anyOf": ["y"], "feeds": ["pt"] }, { "id": "c", "channels": ["desk"], "anyOf": ["z"], "enabled": false } ]""",
        "No rule reads it yet: add 'new' to a rule's feeds, or leave a rule's feeds out so it reads every feed.")]
    public void A_feed_just_added_says_which_rules_read_it_and_that_its_items_now_alert_no_one(string rules, string who)
    {
        var config = ConfigParser.Parse($$"""
            { "feeds": [ { "id": "pt", "url": "https://pt.example/feed" } ], "channels": [ { "id": "desk", "chat": "@security_desk" } ], "rules": {{rules}} }
            """, "test");

        Assert.Equal($"{who} Its items now are stored without alerts (backfill 0); the ones it publishes from now on alert.", ConfigEdits.AddedFeedNote(config, "new"));
    }

    [Theory]
    [InlineData("By Staff Reporter", "Staff Reporter")]
    [InlineData("by: Ayesha Khan", "Ayesha Khan")]
    [InlineData("BY  News Desk ", "News Desk")]
    [InlineData("Byron Wall", "Byron Wall")]
    [InlineData("By", null)]
    [InlineData("  ", null)]
    public void A_pages_byline_is_a_name(string byline, string? name) =>
        Assert.Equal(name, Syndication.Articles.FullTextExtractor.Byline(byline));
}
