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
/// What a feed read comes to, decided without storage or a network: which items are worked (newest first, within the
/// limit), which new articles alert (backfill), where stories are claimed, which channels get an alert, and what an edited
/// story does where it went (<c>onUpdate</c>).
/// </summary>
public sealed class FeedPlannerTests
{
    static readonly DateTimeOffset Now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);

    static readonly SyndicationConfig Config = ConfigParser.Parse("""
        {
          "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" } ],
          "channels": [
            { "id": "news", "chat": "@news" },
            { "id": "desk", "chat": "@desk", "onUpdate": "edit" }
          ],
          "rules": [
            { "id": "imf", "anyOf": ["IMF"], "channels": ["news", "desk"] },
            { "id": "kayani", "anyOf": ["Kayani"], "channels": ["news"], "onUpdate": "edit" },
            { "id": "cricket", "anyOf": ["cricket"], "channels": ["news"] }
          ]
        }
        """, "test");

    static FeedEntry Entry(string key, int hoursAgo, string title = "Story") =>
        new(key, title, $"https://dawn.example/{key}", Now.AddHours(-hoursAgo), null, [], "Summary", "Text");

    static Article Matched(FeedEntry entry) => ArticleMessages.Matched("dawn", entry, Now, RuleMatcher.For(Config));

    [Fact]
    public void Items_are_worked_newest_first_within_the_limit_and_known_ones_only_refreshed()
    {
        var known = Entry("known", 5);
        var back = Entry("back", 6);
        var edited = Entry("edited", 7, "Story, updated");
        var seen = new Dictionary<string, SeenItem>
        {
            [Article.IdFor("known")] = new(known.ContentHash, Now.AddDays(-1)),
            [Article.IdFor("back")] = new(back.ContentHash, Now.AddDays(-1)) { LeftAt = Now.AddHours(-3) },
            [Article.IdFor("edited")] = new("an older text", Now.AddDays(-1)),
        };
        var entries = new[] { Entry("old", 9), known, Entry("https://dawn.example/newest", 1), back, edited, Entry("https://dawn.example/newest?utm_source=rss", 2), Entry("older", 8) };

        var scan = FeedPlanner.Scan(entries, seen, limit: 3);

        // The address with a tracker is the same story as the newest; "old" is over the limit, left for later.
        Assert.Equal(["https://dawn.example/newest", "edited", "older"], scan.Changed.Select(c => c.Entry.Key));
        Assert.Equal([ItemChange.New, ItemChange.Edited, ItemChange.New], scan.Changed.Select(c => c.Change));
        Assert.Equal(1, scan.OverLimit);
        Assert.Equal(1, scan.Returned);
        Assert.Equal(new[] { Article.IdFor("known"), Article.IdFor("back") }.Order(StringComparer.Ordinal), scan.Known.Keys.Order(StringComparer.Ordinal));
        Assert.Null(scan.Known[Article.IdFor("back")].LeftAt);

        var worked = scan.Changed[1].Seen(Now);
        Assert.Equal((edited.ContentHash, Now.AddDays(-1), edited.RawHash), (worked.Content, worked.FirstSeen, worked.Raw));
        Assert.Equal(Now, scan.Changed[0].Seen(Now).FirstSeen);
    }

    [Fact]
    public void Seen_items_are_bounded_and_tombstones_go_oldest_first()
    {
        // A window of 4 items sliding over 30 stories, one read each: one new story, one leaves; at most 10 remembered.
        var seen = new SeenItems([], null);
        var alerted = 0;
        for (var n = 1; n <= 30; n++)
        {
            var window = Enumerable.Range(Math.Max(1, n - 3), Math.Min(n, 4)).Select(i => Entry($"https://news.example/?p={i}", 30 - i)).ToList();
            var scan = FeedPlanner.Scan(window, seen.Items, limit: 100);
            alerted += scan.Changed.Count(c => c.Change == ItemChange.New);
            FeedPlanner.Remember(seen, scan, scan.Changed, Now.AddMinutes(n), bound: 10);
        }

        Assert.Equal(30, alerted);
        Assert.Equal(4, seen.Items.Values.Count(i => i.LeftAt is null));
        // The 4 in the feed and the 6 that left last.
        Assert.Equal(Enumerable.Range(21, 10).Select(i => Article.IdFor($"https://news.example/?p={i}")).Order(StringComparer.Ordinal), seen.Items.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_item_that_leaves_the_feed_and_returns_is_not_new_and_one_held_back_is_new_next_time()
    {
        var seen = new SeenItems([], null);
        var one = Entry("https://news.example/?p=1", 3);
        var two = Entry("https://news.example/?p=2", 2);
        var three = Entry("https://news.example/?p=3", 1);
        var first = FeedPlanner.Scan([one, two], seen.Items, 100);
        FeedPlanner.Remember(seen, first, first.Changed, Now, 100);

        var left = FeedPlanner.Scan([three, two], seen.Items, limit: 0); // three is held back by the limit
        FeedPlanner.Remember(seen, left, [], Now.AddHours(1), 100);
        var back = FeedPlanner.Scan([three, one], seen.Items, 100);

        Assert.Equal(1, left.OverLimit);
        Assert.NotNull(seen.Items[Article.IdFor(one.Key)].LeftAt);
        Assert.Equal([three.Key], back.Changed.Select(c => c.Entry.Key)); // held back last time: new now
        Assert.Equal(1, back.Returned);
        // A guid that moved to https, with a tracker, is the same item.
        Assert.Empty(FeedPlanner.Scan([Entry("https://NEWS.example/?p=1&utm_source=rss", 3)], seen.Items, 100).Changed);
    }

    [Theory]
    [InlineData(false, 3, 0, 4)]  // an ordinary read: every matching new article
    [InlineData(true, 2, 0, 2)]   // a first read: its backfill newest
    [InlineData(true, 2, 1, 1)]   // a first read done again: what was already queued counts
    [InlineData(true, 0, 0, 0)]   // backfill 0
    public void Only_matching_articles_alert_and_a_first_read_only_its_backfill_newest(bool firstRead, int backfill, int alreadyAlerted, int alerting)
    {
        var fresh = new[] { Entry("a", 4, "IMF talks"), Entry("b", 1, "IMF deal"), Entry("c", 3, "Weather"), Entry("d", 2, "Kayani"), Entry("e", 5, "cricket") }.Select(Matched).ToList();

        var alerts = FeedPlanner.Alerting(fresh, firstRead, backfill, alreadyAlerted);

        Assert.Equal(new[] { "b", "d", "a", "e" }[..alerting], alerts.Select(a => a.Key));
    }

    [Fact]
    public void Stories_are_claimed_in_each_channel_their_alerts_go_to_in_the_feeds_order()
    {
        var imf = Matched(Entry("imf", 2, "IMF deal"));
        var kayani = Matched(Entry("kayani", 1, "Kayani speaks"));
        var held = Matched(Entry("held", 3, "IMF again"));
        var fresh = new[] { imf, kayani, held }.Select(a => new FreshArticle(a, Alerts: a != held, [])).ToList();

        var claims = FeedPlanner.Claims(fresh, Config);

        Assert.Equal(["imf", "kayani"], claims["news"].Select(a => a.Key));
        Assert.Equal(["imf"], claims["desk"].Select(a => a.Key));
        Assert.Equal(2, claims.Count);
    }

    [Fact]
    public void An_article_queues_one_alert_per_channel_except_where_the_channel_had_the_story()
    {
        var article = Matched(Entry("imf", 2, "IMF deal, Kayani says")); // two rules route it to news
        var fresh = new FreshArticle(article, Alerts: true, [.. MessageFormatter.PerChannel(article, "Dawn", Config)]);

        var all = FeedPlanner.Alerts(fresh, new Dictionary<string, string>(), Now);
        var some = FeedPlanner.Alerts(fresh, new Dictionary<string, string> { ["news"] = "feeds/geo/1.json" }, Now);

        Assert.Equal(["desk", "news"], all.Select(a => a.ChannelId).Order());
        Assert.Equal(["imf", "kayani"], all.Single(a => a.ChannelId == "news").Rules.Order());
        Assert.EndsWith("#imf #kayani", all.Single(a => a.ChannelId == "news").Html);
        Assert.Equal(["desk"], some.Select(a => a.ChannelId));
        Assert.All(all, a => Assert.Equal((article.BlobName, Now), (a.ArticleBlob, a.CreatedAt)));
    }

    [Fact]
    public void An_edit_goes_where_the_channel_or_a_matching_rule_says_edit()
    {
        var imf = Matched(Entry("imf", 2, "IMF deal"));
        var kayani = Matched(Entry("k", 2, "Kayani speaks"));
        var cricket = Matched(Entry("c", 2, "cricket"));
        bool Wants(Article article, string channel) => FeedPlanner.WantsEdit(MessageFormatter.PerChannel(article, "Dawn", Config).Single(m => m.Channel.Id == channel), Config);

        Assert.True(Wants(imf, "desk"));     // the channel says edit
        Assert.False(Wants(imf, "news"));    // neither does
        Assert.True(Wants(kayani, "news"));  // the rule says edit
        Assert.False(Wants(cricket, "news"));
    }

    [Fact]
    public void An_edited_story_edits_the_sent_message_rewrites_a_waiting_alert_and_leaves_a_digest_alone()
    {
        var article = Matched(Entry("k", 2, "Kayani speaks, updated")) with { UpdatedAt = Now };
        var message = MessageFormatter.PerChannel(article, "Dawn", Config).Single(m => m.Channel.Id == "news");
        var sent = new DeliveryRecord("news", "@news", article.BlobName, 42, Now.AddHours(-1), 1);
        var waiting = new OutboxEntry("news", "@news", article.BlobName, null, Now.AddMinutes(-3), ["kayani"], "<b>old</b>") { DigestLine = "• old" };

        var edit = Assert.IsType<EditStep.SendEdit>(FeedPlanner.Edit(article, "Dawn", message, "v2", sent, null, Now)).Edit;
        Assert.Equal((42, "v2", false, message.Html), (edit.EditMessageId, edit.Version, edit.EditsCaption, edit.Html));

        var photo = Assert.IsType<EditStep.SendEdit>(FeedPlanner.Edit(article, "Dawn", message, "v2", sent with { AsPhoto = true }, null, Now)).Edit;
        Assert.True(photo.EditsCaption);
        Assert.True(photo.Caption!.Length <= MessageFormatter.MaxCaptionLength);

        var rewrite = Assert.IsType<EditStep.Rewrite>(FeedPlanner.Edit(article, "Dawn", message, "v2", null, (waiting, new Azure.ETag("\"e1\"")), Now));
        Assert.Equal((message.Html, waiting.CreatedAt, new Azure.ETag("\"e1\"")), (rewrite.Pending.Html, rewrite.Pending.CreatedAt, rewrite.Version));
        Assert.Equal(message.DigestLine, rewrite.Pending.DigestLine);

        Assert.IsType<EditStep.None>(FeedPlanner.Edit(article, "Dawn", message, "v2", sent with { InDigest = true }, null, Now));
        Assert.IsType<EditStep.None>(FeedPlanner.Edit(article, "Dawn", message, "v2", null, null, Now));
    }

    [Fact]
    public void The_message_uses_the_matchers_own_terms_and_reads_the_same_for_an_article_read_back_from_storage()
    {
        var article = Matched(Entry("k", 2, "Kayani meets the IMF") with { Text = "General Kayani met the IMF delegation in Islamabad on Friday." });
        var stored = article with { Matches = [.. article.Matches.Select(m => m with { Parsed = null })] };

        Assert.All(article.Matches, m => Assert.Equal(m.Terms, m.Parsed!.Select(t => t.Raw)));
        Assert.Equal(MessageFormatter.Format(stored, "Dawn", stored.Matches), MessageFormatter.Format(article, "Dawn", article.Matches));
        Assert.Contains("<b>Kayani</b>", MessageFormatter.Format(article, "Dawn", article.Matches));
    }

    [Fact]
    public void A_first_reads_backfill_is_counted_in_the_editors_channels_and_in_peoples_only_when_no_channel_reaches_the_feed()
    {
        var config = ConfigParser.Parse("""
            {
              "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" }, { "id": "geo", "url": "https://geo.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@desk" } ],
              "rules": [ { "id": "r", "feeds": ["dawn"], "anyOf": ["x"], "channels": ["desk"] } ]
            }
            """, "test");
        var people = Watches.WatchIndex.Empty
            .With(new Watches.Subscriber(5, "en", [new Watches.Watch("Kayani", ["Kayani"], [], [])], TestClock.Start))
            .With(new Watches.Subscriber(6, "en", [new Watches.Watch("IMF", ["IMF"], [], [])], TestClock.Start))
            .Into(config, TestClock.Start);

        Assert.Equal(["desk"], FeedPlanner.BackfillChannels(people, "dawn"));
        Assert.Equal(["person-5", "person-6"], FeedPlanner.BackfillChannels(people, "geo"));
        Assert.Empty(FeedPlanner.BackfillChannels(config, "geo"));
    }

    [Fact]
    public void An_also_reported_line_edits_a_sent_alert_rewrites_a_waiting_one_and_leaves_digests_and_channels_that_turned_it_off()
    {
        var config = ConfigParser.Parse("""
            {
              "feeds": [ { "id": "dawn", "url": "https://dawn.example/feed" } ],
              "channels": [ { "id": "desk", "chat": "@desk" }, { "id": "off", "chat": "@quiet_desk", "alsoReported": false } ],
              "rules": [ { "id": "kayani", "anyOf": ["Kayani"], "channels": ["desk", "off"] } ]
            }
            """, "test");
        var article = ArticleMessages.Matched("dawn", new FeedEntry("k", "Kayani speaks", "https://dawn.example/1", TestClock.Start, null, [], "Kayani spoke.", "Kayani spoke."),
            TestClock.Start, RuleMatcher.For(config));
        var messages = MessageFormatter.PerChannel(article, "Dawn", config).ToDictionary(m => m.Channel.Id);
        var also = new AlsoReported([new Outlet("geo.example", "Geo <TV>", "https://geo.example/k")], TestClock.Start.AddMinutes(10));
        var sent = new DeliveryRecord("desk", "@desk", article.BlobName, 42, TestClock.Start, 1);

        var edit = Assert.IsType<EditStep.SendEdit>(FeedPlanner.AlsoEdit(messages["desk"].Channel, article, "Dawn", messages["desk"], sent, null, also, TestClock.Start)).Edit;
        Assert.Equal(42, edit.EditMessageId);
        Assert.Equal(messages["desk"].Html + "\nAlso: <a href=\"https://geo.example/k\">Geo &lt;TV&gt;</a>", edit.Html);
        Assert.Equal(TestClock.Start.AddMinutes(10), edit.After);
        Assert.EndsWith(".edit-also-1.json", edit.Name);

        var waiting = new OutboxEntry("desk", "@desk", article.BlobName, null, TestClock.Start, ["kayani"], messages["desk"].Html) { DigestLine = "• Kayani speaks" };
        var rewrite = Assert.IsType<EditStep.Rewrite>(FeedPlanner.AlsoEdit(messages["desk"].Channel, article, "Dawn", messages["desk"], null, (waiting, new Azure.ETag("v1")), also, TestClock.Start));
        Assert.Equal(edit.Html, rewrite.Pending.Html);
        Assert.EndsWith("Also: <a href=\"https://geo.example/k\">Geo &lt;TV&gt;</a>", rewrite.Pending.DigestLine);
        // Another outlet later: the line is replaced, not added again, and the article is not needed for a waiting alert.
        var more = also with { Outlets = [.. also.Outlets, new Outlet("tribune.example", "Tribune", "https://tribune.example/9")] };
        var again = Assert.IsType<EditStep.Rewrite>(FeedPlanner.AlsoEdit(messages["desk"].Channel, null, "", null, null, (rewrite.Pending, new Azure.ETag("v2")), more, TestClock.Start)).Pending;
        Assert.Equal(messages["desk"].Html + "\n" + MessageFormatter.AlsoLine(more.Outlets), again.Html);
        Assert.Equal("• Kayani speaks " + MessageFormatter.AlsoLine(more.Outlets), again.DigestLine);

        Assert.IsType<EditStep.None>(FeedPlanner.AlsoEdit(messages["off"].Channel, article, "Dawn", messages["off"], sent with { ChannelId = "off" }, null, also, TestClock.Start));
        Assert.IsType<EditStep.None>(FeedPlanner.AlsoEdit(messages["desk"].Channel, article, "Dawn", messages["desk"], sent with { InDigest = true }, null, also, TestClock.Start));
        Assert.IsType<EditStep.None>(FeedPlanner.AlsoEdit(messages["desk"].Channel, article, "Dawn", messages["desk"], null, null, also, TestClock.Start));
        Assert.True(FeedPlanner.WantsAlso(messages["desk"].Channel));
        Assert.False(FeedPlanner.WantsAlso(new ChannelDefinition(Watches.Subscriber.ChannelFor(5), "5"))); // a person's own alerts
        Assert.IsType<EditStep.None>(FeedPlanner.AlsoEdit(new ChannelDefinition(Watches.Subscriber.ChannelFor(5), "5"), article, "Dawn", messages["desk"], sent, null, also, TestClock.Start));
    }
}
