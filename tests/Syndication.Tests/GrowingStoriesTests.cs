using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Sweeps;
using Syndication.Telegram;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Stories across every feed, decided without storage: which site is a new outlet of a story, when a story grows past a
/// channel's threshold (once, on the clock the sweep reads), what <c>minOutlets</c> holds back, and how a growing story's
/// alert reads. Wired through storage in <see cref="SameStoryTests"/>.
/// </summary>
public sealed class GrowingStoriesTests
{
    static readonly DateTimeOffset Now = TestClock.Start;
    static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    const string Headline = "Kayani tells parliament army will not accept unilateral action";

    static Article Report(string site, string name, int minutesAgo, string title = Headline, string? path = null) =>
        new(site, $"https://www.{site}.example/{path ?? "news/1"}", title, $"https://www.{site}.example/{path ?? "news/1"}", Now.AddMinutes(-minutesAgo), null, [],
            SameStoryTests.AgencyLead, SameStoryTests.AgencyLead, Now, [])
        { Source = name };

    [Fact]
    public void Each_site_is_one_outlet_of_a_story_and_a_run_done_again_finds_the_same_places()
    {
        var log = new List<LoggedStory>();
        var dawn = Report("dawn", "Dawn", 40);
        var dawnAgain = Report("dawn", "Dawn", 35, path: "news/1-updated");
        var tribune = Report("tribune", "The Express Tribune", 20);
        var other = Report("geo", "Geo", 10, "Floods close the Karakoram Highway for a third day", "floods") with
        {
            Text = "Landslides after three days of rain closed the highway near Chilas, the National Highway Authority said on Saturday.",
        };

        var (places, changed) = StoryOutlets.Sort(log, [dawn, dawnAgain, tribune, other], Now, Hour);

        Assert.True(changed);
        Assert.Equal(2, log.Count); // Kayani's story and the floods
        Assert.Equal((1, true), (places[dawn.BlobName].Count, places[dawn.BlobName].IsOutlet));
        Assert.Equal((1, false), (places[dawnAgain.BlobName].Count, places[dawnAgain.BlobName].IsOutlet)); // the same site again
        Assert.Equal((2, true), (places[tribune.BlobName].Count, places[tribune.BlobName].IsOutlet));
        Assert.Equal(["Dawn", "The Express Tribune"], places[tribune.BlobName].ToStory().Outlets.Select(o => o.Name));
        Assert.Equal(TimeSpan.FromMinutes(20), places[tribune.BlobName].ToStory().Span);
        Assert.Equal(1, places[other.BlobName].Count);

        // Done again (a run cut short): the same places, and nothing written.
        var (again, changedAgain) = StoryOutlets.Sort(log, [tribune], Now, Hour);
        Assert.False(changedAgain);
        Assert.Equal(2, again[tribune.BlobName].Count);
    }

    [Fact]
    public void A_story_grows_past_a_threshold_once_and_only_when_its_outlets_are_close_enough_together()
    {
        var log = new List<LoggedStory>();
        var clock = Now.AddMinutes(-100);
        StoryPlace Arrive(string site, int minutes)
        {
            var at = clock.AddMinutes(minutes);
            var article = Report(site, site, 0) with { Published = at, FetchedAt = at };
            return StoryOutlets.Sort(log, [article], at, TimeSpan.FromHours(12)).Places[article.BlobName];
        }

        var dawn = Arrive("dawn", 0);
        var tribune = Arrive("tribune", 30);
        var geo = Arrive("geo", 70);     // three sites, but over 70 minutes: not within 60
        var samaa = Arrive("samaa", 75); // tribune, geo and samaa: 45 minutes
        var nation = Arrive("nation", 80);

        Assert.False(StoryOutlets.Grew(dawn, 3, Hour));
        Assert.False(StoryOutlets.Grew(tribune, 3, Hour));
        Assert.False(StoryOutlets.Grew(geo, 3, Hour));
        Assert.True(StoryOutlets.Grew(samaa, 3, Hour));
        Assert.False(StoryOutlets.Grew(nation, 3, Hour)); // once: it had grown already
        Assert.True(StoryOutlets.Grew(samaa, 3, Hour));   // asked again for the same article, the same answer (a retry queues the same alert)
        // Another channel's threshold is crossed by its own article.
        Assert.True(StoryOutlets.Grew(geo, 3, TimeSpan.FromMinutes(90)));
        Assert.True(StoryOutlets.Grew(tribune, 2, Hour));
        Assert.False(StoryOutlets.Grew(nation, 6, TimeSpan.FromHours(12)));
    }

    [Fact]
    public void Stories_leave_the_log_after_the_window_and_an_article_carried_before_it_is_not_counted()
    {
        var log = new List<LoggedStory>();
        StoryOutlets.Sort(log, [Report("dawn", "Dawn", 30)], Now, Hour);

        var later = Now.AddMinutes(45);
        var (places, changed) = StoryOutlets.Sort(log, [Report("tribune", "Tribune", -40), Report("old", "Old", 80)], later, Hour);

        Assert.True(changed);
        var story = Assert.Single(log);
        Assert.Equal(["tribune"], story.Outlets.Select(o => o.Site.Split('.')[0])); // Dawn's, from 75 minutes before, left
        Assert.Single(places);
    }

    static SyndicationConfig Config(int minOutlets = 1, int? growing = 3) => ConfigParser.Parse($$"""
        { "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" } ],
          "channels": [ { "id": "desk", "chat": "@desk" }, { "id": "breaking", "chat": "@breaking"{{(growing is null ? "" : $", \"growing\": {{ \"outlets\": {growing} }}")}} } ],
          "rules": [ { "id": "kayani", "channels": ["desk"], "anyOf": ["Kayani"], "minOutlets": {{minOutlets}} } ] }
        """, "test");

    static FreshArticle Fresh(Article article, SyndicationConfig config, bool alerts = true)
    {
        var matched = ArticleMessages.Matched(article.FeedId, new Syndication.Feeds.FeedEntry(article.Key, article.Title, article.Link, article.Published, null, [], article.Summary, article.Text),
            article.FetchedAt, RuleMatcher.For(config)) with { Source = article.Source };
        return new FreshArticle(matched, alerts && matched.Matches.Count > 0, []);
    }

    [Fact]
    public void A_rule_with_min_outlets_matches_only_once_the_story_has_them_and_its_alert_names_them()
    {
        var config = Config(minOutlets: 3);
        var log = new List<LoggedStory>();
        var reports = new[] { Report("dawn", "Dawn", 30), Report("tribune", "The Express Tribune", 20), Report("geo", "Geo", 10) };
        var fresh = reports.Select(r => Fresh(r, config)).ToList();
        Assert.All(fresh, f => Assert.True(f.Alerts));

        var places = StoryOutlets.Sort(log, reports, Now, StoryOutlets.Window(config)!.Value).Places;
        var planned = FeedPlanner.WithStories(fresh, places, config, firstRead: false);

        Assert.Equal([false, false, true], planned.Select(p => p.Fresh.Alerts));
        Assert.All(planned.Take(2), p => Assert.Empty(p.Fresh.Article.Matches));
        var third = planned[2].Fresh.Article;
        Assert.Equal("kayani", Assert.Single(third.Matches).RuleId);
        var messages = MessageFormatter.PerChannel(third, "Geo", config).ToList();
        Assert.Equal(["desk", "breaking"], messages.Select(m => m.Channel.Id)); // the third outlet is also the breaking channel's growing story
        var message = messages[0];
        Assert.DoesNotContain("Growing story", message.Html);
        Assert.EndsWith("Also: Dawn · The Express Tribune", TelegramHtml.ToPlain(message.Html));
        // Without minOutlets or growing, every report matches as before, and nothing is changed.
        var plain = Config(growing: null);
        Assert.All(FeedPlanner.WithStories([.. reports.Select(r => Fresh(r, plain))], places, plain, firstRead: false), p => Assert.False(p.Changed));
    }

    [Fact]
    public void A_growing_story_alerts_its_channel_once_without_a_rule_marked_as_growing_naming_its_outlets_and_linking_the_first_report()
    {
        var config = Config();
        var log = new List<LoggedStory>();
        var reports = new[] { Report("dawn", "Dawn", 40), Report("tribune", "The Express Tribune", 20), Report("geo", "Geo", 0, "Army will not accept unilateral action: Kayani") with { Text = "", Summary = "" } };
        var places = StoryOutlets.Sort(log, reports, Now, Hour).Places;
        var fresh = reports.Select(r => Fresh(r, config, alerts: false)).ToList(); // say no rule matched (or backfill held them)

        var planned = FeedPlanner.WithStories(fresh, places, config, firstRead: false);

        Assert.Equal([false, false, true], planned.Select(p => p.Fresh.Alerts));
        var geo = planned[2].Fresh.Article;
        Assert.Equal(["breaking"], geo.Story!.GrowingIn);
        var message = Assert.Single(MessageFormatter.PerChannel(geo, "Geo", config), m => m.Channel.Id == "breaking");
        var plain = TelegramHtml.ToPlain(message.Html);
        Assert.StartsWith("📈 Growing story · 3 outlets in 40 min · first report\n", plain);
        Assert.Contains("<a href=\"https://www.dawn.example/news/1\">first report</a>", message.Html);
        Assert.EndsWith("Also: Dawn · The Express Tribune", plain);
        Assert.Null(message.DigestLine);
        // A feed's first read counts its articles as outlets but sends no growing alert of its own.
        Assert.All(FeedPlanner.WithStories(fresh, places, config, firstRead: true), p => Assert.False(p.Fresh.Alerts));
        // Two outlets are not three.
        Assert.All(FeedPlanner.WithStories(fresh.Take(2).ToList(), StoryOutlets.Sort([], reports[..2], Now, Hour).Places, config, firstRead: false), p => Assert.False(p.Fresh.Alerts));
    }

    [Fact]
    public void An_urdu_channel_reads_a_growing_story_in_urdu_and_a_digest_line_lists_the_outlets()
    {
        var story = new StorySoFar([new Outlet("dawn.example", "Dawn", "https://dawn.example/1"), new Outlet("geo.example", "Geo", "https://geo.example/2"),
            new Outlet("tribune.example", "Tribune", "https://tribune.example/3")], TimeSpan.FromMinutes(25)) { GrowingIn = ["breaking"] };
        var config = ConfigParser.Parse("""
            { "feeds": [ { "id": "tribune", "url": "https://tribune.example/feed" } ],
              "channels": [ { "id": "breaking", "chat": "@breaking", "language": "ur", "growing": { "outlets": 3 } },
                            { "id": "digest", "chat": "@digest", "digest": { "every": "1h" } } ],
              "rules": [ { "id": "kayani", "channels": ["digest"], "anyOf": ["Kayani"], "minOutlets": 2 } ] }
            """, "test");
        var article = new Article("tribune", "k", Headline, "https://tribune.example/3", Now, null, [], "", "", Now,
            [new ArticleMatch("kayani", ["Kayani"], ["digest"])]) { Story = story };

        var messages = MessageFormatter.PerChannel(article, "Tribune", config).ToDictionary(m => m.Channel.Id);

        Assert.StartsWith("📈 بڑھتی ہوئی خبر · 25 منٹ میں 3 ذرائع · پہلی خبر", TelegramHtml.ToPlain(messages["breaking"].Html));
        Assert.EndsWith("دیگر ذرائع: Dawn · Geo", TelegramHtml.ToPlain(messages["breaking"].Html));
        Assert.EndsWith(" Also: <a href=\"https://dawn.example/1\">Dawn</a> · <a href=\"https://geo.example/2\">Geo</a>", messages["digest"].DigestLine);
        Assert.DoesNotContain("Growing", messages["digest"].Html);
    }
}
