using Syndication.Articles;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Pages;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>What the editors' page decides, without storage or HTTP: order, counts per day, a change's difference, and what an edited rule matches.</summary>
public sealed class EditorPagePlanTests
{
    static readonly DateTimeOffset Now = TestClock.Start;

    static readonly SyndicationConfig Config = ConfigParser.Parse("""
        { "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" }, { "id": "geo", "url": "https://geo.example/feed" }, { "id": "jang", "url": "https://jang.example/feed" } ],
          "channels": [ { "id": "desk", "chat": "@desk" } ],
          "rules": [ { "id": "quiet", "channels": ["desk"], "anyOf": ["budget"] },
                     { "id": "loud", "channels": ["desk"], "anyOf": ["Kayani"] },
                     { "id": "noisy", "channels": ["desk"], "anyOf": ["army"] } ] }
        """, "test");

    [Fact]
    public void Rules_with_the_worst_precision_come_first_then_those_that_send_most()
    {
        var figures = new Dictionary<string, RuleFigures>
        {
            ["quiet"] = new(1, 2, 0, 0, []) { SentAt = [Now.AddHours(-1), Now.AddDays(-3)] },
            ["loud"] = new(9, 40, 0, 0, []),
            ["noisy"] = new(5, 10, 2, 4, []), // 60% kept
        };
        var rules = EditorPagePlan.Rules(Config, figures, Now);
        Assert.Equal(["noisy", "loud", "quiet"], rules.Select(r => r.Id));
        Assert.Equal(0.6, rules[0].Precision30!.Value, 3);
        Assert.Equal(30, rules[2].PerDay.Count);
        Assert.Equal((1, 1, 2), (rules[2].PerDay[^1], rules[2].PerDay[^4], rules[2].PerDay.Sum()));
    }

    [Fact]
    public void Broken_feeds_come_first_then_failing_ones_and_each_counts_what_it_stored_a_day()
    {
        var statuses = new List<FeedStatus>
        {
            new("geo", "https://geo.example/feed", null, Now, "HTTP 500 from geo.example", 2, 0),
            new("jang", "https://jang.example/feed", null, Now, "HTTP 404 from jang.example", 9, 0) { Broken = true },
            new("dawn", "https://dawn.example/feed", Now, null, null, 0, 14),
        };
        var stored = Enumerable.Range(0, 14).Select(d => ("dawn", Now.AddDays(-d))).Append(("dawn", Now.AddHours(-1))).Append(("dawn", Now.AddDays(-20))).ToList();
        var feeds = EditorPagePlan.Feeds(Config, statuses, stored, Now);
        Assert.Equal(["jang", "geo", "dawn"], feeds.Select(f => f.Id));
        Assert.Equal("HTTP 404 from jang.example", feeds[0].Error);
        Assert.Equal((15, 2, 1.1), (feeds[2].PerDay.Sum(), feeds[2].PerDay[^1], feeds[2].ArticlesPerDay));
        Assert.Null(feeds[2].Error);
    }

    [Fact]
    public void A_changes_difference_is_the_lines_it_added_and_removed_with_one_line_around()
    {
        var before = """{"rules":[{"id":"kayani","anyOf":["Kayani"],"channels":["desk"]}]}""";
        var after = """{"rules":[{"id":"kayani","anyOf":["Kayani","army chief"],"channels":["desk"]}]}""";
        var diff = EditorPagePlan.Diff(before, after);
        Assert.Equal(["  \"anyOf\": [", "-\"Kayani\"", "+\"Kayani\",", "+\"army chief\"", "  ],"],
            diff.Select(d => $"{d.Kind}{(d.Kind == ' ' ? " " + d.Text.Trim() : d.Text.Trim())}"));
        Assert.DoesNotContain(EditorPagePlan.Diff(after, after), d => d.Kind != ' ');
        Assert.All(EditorPagePlan.Diff("", after), d => Assert.Equal('+', d.Kind)); // the first configuration: all added
    }

    [Fact]
    public void An_edited_rule_is_tried_on_stored_articles_with_the_matched_words_marked()
    {
        Article Stored(string title, string feed, int hoursAgo) =>
            new(feed, title, title, $"https://{feed}.example/{title.Length}", Now.AddHours(-hoursAgo), null, [], "", "", Now.AddHours(-hoursAgo), []);
        var articles = new[] { Stored("Army chief Kayani meets PM", "dawn", 1), Stored("Budget debate", "geo", 2), Stored("ISI chief and army", "dawn", 3) };
        var root = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(new
        {
            feeds = Config.Feeds.Select(f => new { id = f.Id, url = f.Url }),
            channels = new[] { new { id = "desk", chat = "@desk" } },
            rules = new[] { new { id = "loud", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        }))!.AsObject();
        ConfigEdits.SetRule(root, ConfigParser.Parse(root.ToJsonString(), "t"), "loud", new RuleForm(["army", "chief*"], [], ["ISI"], ["desk"], null));

        var trial = EditorPagePlan.Trial(ConfigParser.Parse(root.ToJsonString(), "edited"), "loud", articles);
        Assert.Equal((3, 1), (trial.Read, trial.Matched)); // "ISI chief and army" is kept out by noneOf
        Assert.Equal([("Army", true), (" ", false), ("chief", true), (" Kayani meets PM", false)], trial.Matches[0].Title.Select(p => (p.Text, p.Hit)));
        Assert.Equal("https://dawn.example/26", trial.Matches[0].Link);
    }

    [Fact]
    public void A_rules_form_that_changes_nothing_is_refused_and_each_list_says_what_changed()
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse("""{ "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed", "tags": ["pk"] } ], "channels": [ { "id": "desk", "chat": "@desk" }, { "id": "urdu", "chat": "@urdu" } ], "rules": [ { "id": "loud", "channels": ["desk"], "anyOf": ["Kayani"], "urgent": true } ] }""")!.AsObject();
        var config = ConfigParser.Parse(root.ToJsonString(), "t");
        Assert.Throws<EditRefusedException>(() => ConfigEdits.SetRule(root, config, "loud", new RuleForm(["Kayani"], [], [], ["desk"], null)));
        var summary = ConfigEdits.SetRule(root, config, "loud", new RuleForm(["Kayani", "ISPR"], [], ["cricket"], ["desk", "urdu"], ["tag:pk"]));
        Assert.Equal("loud: channels + urdu; feeds + tag:pk; anyOf + ISPR; noneOf + cricket", summary);
        Assert.True(ConfigParser.Parse(root.ToJsonString(), "after").Rules[0].Urgent); // what the form does not show stays

        config = ConfigParser.Parse(root.ToJsonString(), "after");
        var form = new RuleForm(["Kayani", "ISPR"], [], ["cricket"], ["desk", "urdu"], ["tag:pk"], ["title", "categories"], CaseSensitive: true);
        Assert.Equal("loud: fields + title, categories; case sensitive", ConfigEdits.SetRule(root, config, "loud", form));
        var narrowed = ConfigParser.Parse(root.ToJsonString(), "narrowed").Rules[0];
        Assert.Equal((ArticleField.Title | ArticleField.Categories, true), (narrowed.Fields, narrowed.CaseSensitive));
        // Back to the default parts and any case: written as a file would leave them, with no "fields" and no "caseSensitive".
        ConfigEdits.SetRule(root, ConfigParser.Parse(root.ToJsonString(), "n"), "loud", form with { Fields = ["text", "summary", "title"], CaseSensitive = false });
        Assert.False(root["rules"]![0]!.AsObject().ContainsKey("fields") || root["rules"]![0]!.AsObject().ContainsKey("caseSensitive"));
    }
}
