using System.Text;
using System.Text.Json.Nodes;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// OPML read as other readers write it (miniflux's own parser tests, copied with their licence, and files written as
/// feedly and RSStT document their exports), written with this bot's settings, and imported into a configuration as one
/// edit: an export imported into an empty configuration gives back its feeds exactly. Pure: no storage, no network.
/// </summary>
public sealed class OpmlTests
{
    static OpmlDocument Miniflux(string test) => Opml.Read(File.ReadAllBytes(Repo.TestData($"opml/miniflux/{test}.opml")));

    static OpmlDocument Read(string text) => Opml.Read(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Miniflux_parser_tests_read_as_miniflux_reads_them()
    {
        var flat = Miniflux("TestParseOpmlWithoutCategories");
        Assert.Equal(13, flat.Feeds.Count);
        Assert.Equal(("CNET News.com", "http://news.com.com/2547-1_3-0-5.xml", "http://news.com.com/", (string?)null),
            (flat.Feeds[0].Title, flat.Feeds[0].Url, flat.Feeds[0].SiteUrl, flat.Feeds[0].Category));

        Assert.Equal(["My Category 1", "My Category 1", "My Category 2"], Miniflux("TestParseOpmlWithCategories").Feeds.Select(f => f.Category));
        Assert.Equal(["Category 1", "Category 2"], Miniflux("TestParseOpmlVersion1").Feeds.Select(f => f.Category));
        Assert.Equal([null, null], Miniflux("TestParseOpmlVersion1WithoutOuterOutline").Feeds.Select(f => f.Category));
        Assert.Equal(["Some Category", "Some Category", "Another Category"], Miniflux("TestParseOpmlVersion1WithSeveralNestedOutlines").Feeds.Select(f => f.Category));
        Assert.Equal(["http://example.org/feed1/", "http://example.org/feed2/"], Miniflux("TestParseOpmlWithEmptyTitleAndEmptySiteURL").Feeds.Select(f => f.Url));
        var entity = Assert.Single(Miniflux("TestParseOpmlWithInvalidCharacterEntity").Feeds);
        Assert.Equal(("http://example.org/feed1/a&b", "Feed 1"), (entity.Url, entity.Category));
        Assert.Equal("My Category", Assert.Single(Miniflux("TestParseOpmlWithMinifluxSettings").Feeds).Category);
        Assert.StartsWith("not XML", Assert.Throws<OpmlException>(() => Miniflux("TestParseInvalidXML")).Message);
    }

    [Fact]
    public void NetNewsWire_test_subscriptions_read_whole_with_their_folders_and_the_same_feed_twice_named()
    {
        // NetNewsWire's own parser test files (MIT): 207 feeds in four folders, as NetNewsWire (OPML 1.1) and The Old
        // Reader (2.0, no title attributes) write them. Two pairs are one feed written two ways (a trailing slash; http
        // and www), named as such; every other outline is a feed with a title, as NetNewsWire's test requires.
        foreach (var file in new[] { "Subs", "SubsNoTitleAttributes" })
        {
            var subs = Opml.Read(File.ReadAllBytes(Repo.TestData($"opml/netnewswire/{file}.opml")));
            Assert.Equal("Subs", subs.Title);
            Assert.Equal(205, subs.Feeds.Count);
            Assert.All(subs.Feeds, f => Assert.False(string.IsNullOrWhiteSpace(f.Title)));
            Assert.Equal([(null, 67), ("Programming", 33), ("Macintosh", 5), ("Weblogs", 97), ("Writers", 3)],
                subs.Feeds.GroupBy(f => f.Category).Select(g => (g.Key, g.Count())));
            Assert.Equal(["Katie Floyd", "Natasha The Robot"], subs.Problems.Select(p => p.Where[(p.Where.IndexOf('\'') + 1)..p.Where.LastIndexOf('\'')]));
            Assert.All(subs.Problems, p => Assert.StartsWith("the same feed as line ", p.Message));
        }
        var defaults = Opml.Read(File.ReadAllBytes(Repo.TestData("opml/netnewswire/DefaultFeeds.opml")));
        Assert.Equal(10, defaults.Feeds.Count);
        Assert.Empty(defaults.Problems);
        Assert.All(defaults.Feeds, f => Assert.NotNull(f.SiteUrl));
    }

    [Fact]
    public void Every_case_of_xmlUrl_reads_and_notes_and_folders_are_not_feeds()
    {
        // NetNewsWire's inline cases: exporters write xmlUrl, xmlurl, XMLURL and XmlUrl; a bare note is no feed.
        var mixed = Read("""
            <opml version="1.0"><head><title>Mixed-case attributes</title></head><body>
              <outline text="camelCase" type="rss" xmlUrl="http://example.com/a.xml"/>
              <outline text="lowercase" type="rss" xmlurl="http://example.com/b.xml"/>
              <outline text="UPPERCASE" type="rss" XMLURL="http://example.com/c.xml" HTMLURL="http://example.com/"/>
              <outline text="MixedCase" type="rss" XmlUrl="http://example.com/d.xml"/>
              <outline text="L1"><outline text="L2"><outline text="L3"><outline text="feed" type="rss" xmlUrl="http://example.com/e.xml"/></outline></outline></outline>
            </body></opml>
            """);
        Assert.Equal(["a", "b", "c", "d", "e"], mixed.Feeds.Select(f => f.Url[19..20]));
        Assert.Equal("http://example.com/", mixed.Feeds[2].SiteUrl);
        Assert.Equal("L3", mixed.Feeds[4].Category);
        var notes = Read("""<opml version="1.0"><body><outline text="Just a note"/><outline text="A folder"><outline text="Real feed" type="rss" xmlUrl="http://example.com/feed.xml"/></outline></body></opml>""");
        Assert.Equal(("Real feed", "A folder"), (Assert.Single(notes.Feeds).Title, notes.Feeds[0].Category));
        Assert.Equal("line 1 ('Just a note'): an outline with no xmlUrl and no feeds inside it", Assert.Single(notes.Problems).ToString());
    }

    [Fact]
    public void A_thunderbird_export_reads_with_its_folders_as_categories()
    {
        // As Thunderbird's exportOPML writes it (feed-subscriptions.js): OPML 1.0 in the fz namespace, folders with only a
        // title, feeds with type, title, text, version, fz:quickMode, xmlUrl and htmlUrl. Its own attributes are not ours.
        var thunderbird = Read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0" xmlns:fz="urn:forumzilla:">
              <head>
                <title>Thunderbird OPML Export - Blogs &amp; News Feeds</title>
                <dateCreated>Sat, 28 Nov 2026 07:00:00 GMT</dateCreated>
              </head>
              <body>
                <outline title="Pakistan">
                  <outline type="rss" title="Dawn - Home" text="Dawn - Home" version="RSS" fz:quickMode="false" xmlUrl="https://www.dawn.com/feeds/home" htmlUrl="https://www.dawn.com"/>
                  <outline type="rss" title="جیو نیوز" text="جیو نیوز" version="RSS" fz:quickMode="true" xmlUrl="https://urdu.geo.tv/rss/1/0" htmlUrl="https://urdu.geo.tv"/>
                </outline>
              </body>
            </opml>
            """);
        Assert.Equal("Thunderbird OPML Export - Blogs & News Feeds", thunderbird.Title);
        Assert.Equal([("Dawn - Home", "Pakistan", 9), ("جیو نیوز", "Pakistan", 10)], thunderbird.Feeds.Select(f => (f.Title!, f.Category!, f.Line)));
        Assert.All(thunderbird.Feeds, f => Assert.Empty(f.Settings));
        var plan = OpmlImport.Plan(ConfigParser.Parse("""{ "feeds": [], "channels": [], "rules": [] }""", "empty"), thunderbird);
        Assert.Equal([("dawn-home", "pakistan"), ("urdu-geo-tv", "pakistan")], plan.Added.Select(f => (f.Id, f.Tags[0])));
    }

    [Fact]
    public void An_export_writes_each_feeds_site_where_a_read_found_one()
    {
        var config = ConfigParser.Parse(Configured, "test");
        var opml = Opml.Write(config, TestClock.Start, new Dictionary<string, string> { ["dawn"] = "https://www.dawn.com/" });
        var read = Opml.Read(Encoding.UTF8.GetBytes(opml));
        Assert.Equal([("https://www.dawn.com/feeds/home", "https://www.dawn.com/"), ("https://jang.com.pk/rss/1", null), ("https://wire.example/feed?x=1&y=2", null)],
            read.Feeds.Select(f => (f.Url, f.SiteUrl)));
    }

    [Fact]
    public void Feedly_and_rsstt_exports_read_with_their_categories_and_titles()
    {
        // As feedly's export writes it (OPML 1.0, a category outline per folder, type="rss", text and title, htmlUrl).
        var feedly = Read("""
            <?xml version="1.0" encoding="UTF-8"?>
            <opml version="1.0">
                <head><title>Ayesha subscriptions in feedly Cloud</title></head>
                <body>
                    <outline text="Pakistan" title="Pakistan">
                        <outline type="rss" text="Dawn - Home" title="Dawn - Home" xmlUrl="https://www.dawn.com/feeds/home" htmlUrl="https://www.dawn.com"/>
                        <outline type="rss" text="The Express Tribune" title="The Express Tribune" xmlUrl="https://tribune.com.pk/feed/home" htmlUrl="https://tribune.com.pk"/>
                    </outline>
                </body>
            </opml>
            """);
        Assert.Equal("Ayesha subscriptions in feedly Cloud", feedly.Title);
        Assert.Equal(["Pakistan", "Pakistan"], feedly.Feeds.Select(f => f.Category));
        // As RSStT (RSS to Telegram) exports a chat's subscriptions: flat, text only, no category.
        var rsstt = Read("""
            <?xml version='1.0' encoding='utf-8'?>
            <opml version="1.0"><head><title>RSS-to-Telegram-Bot subscription export</title></head><body>
            <outline text="Dawn" type="rss" xmlUrl="https://www.dawn.com/feeds/home"/><outline text="Geo News" type="rss" xmlUrl="https://www.geo.tv/rss/1/1"/>
            </body></opml>
            """);
        Assert.Equal(["Dawn", "Geo News"], rsstt.Feeds.Select(f => f.Title));
    }

    const string Configured = """
        { "feeds": [
            { "id": "dawn", "url": "https://www.dawn.com/feeds/home", "name": "Dawn", "backfill": 2, "tags": ["pakistan", "english"] },
            { "id": "jang", "url": "https://jang.com.pk/rss/1", "name": "روزنامہ جنگ", "fullText": "always", "minIntervalMinutes": 15, "tags": ["urdu"] },
            { "id": "wire", "url": "https://wire.example/feed?x=1&y=2", "enabled": false } ],
          "channels": [ { "id": "desk", "chat": "@desk" } ],
          "rules": [ { "id": "kayani", "channels": ["desk"], "feeds": ["tag:pakistan", "wire"], "anyOf": ["Kayani"] } ] }
        """;

    [Fact]
    public void An_export_imported_into_an_empty_configuration_gives_back_the_same_feeds()
    {
        var config = ConfigParser.Parse(Configured, "test");
        var opml = Opml.Write(config, TestClock.Start);
        Assert.Contains("xmlns:syndication=\"urn:syndication:opml\"", opml);
        Assert.Contains("syndication:rules=\"kayani\"", opml);
        Assert.Contains("<outline text=\"pakistan\" title=\"pakistan\">", opml); // grouped by the first tag

        var empty = ConfigParser.Parse("""{ "feeds": [], "channels": [], "rules": [] }""", "empty");
        var root = JsonNode.Parse("""{ "feeds": [], "channels": [], "rules": [] }""")!.AsObject();
        var plan = OpmlImport.Plan(empty, Opml.Read(Encoding.UTF8.GetBytes(opml)));
        OpmlImport.Apply(root, plan);

        var imported = ConfigParser.Parse(root.ToJsonString(), "imported").Feeds;
        Assert.Equal(config.Feeds.OrderBy(f => f.Id).Select(Shape), imported.OrderBy(f => f.Id).Select(Shape));
    }

    [Fact]
    public void An_export_imported_where_feeds_were_taken_out_gives_back_the_feeds_and_the_rules_that_read_them()
    {
        var config = ConfigParser.Parse(Configured, "test");
        var opml = Opml.Write(config, TestClock.Start);
        // The same channels and rules, the feeds but the first taken out (and with them the feed the rule named by id).
        var root = JsonNode.Parse(Configured)!.AsObject();
        root["feeds"] = new JsonArray(root["feeds"]![0]!.DeepClone());
        root["rules"]![0]!["feeds"] = new JsonArray("tag:pakistan");
        var emptied = ConfigParser.Parse(root.ToJsonString(), "emptied");

        var plan = OpmlImport.Plan(emptied, Opml.Read(Encoding.UTF8.GetBytes(opml)));
        var summary = OpmlImport.Apply(root, plan);

        var back = ConfigParser.Parse(root.ToJsonString(), "imported");
        Assert.Equal(["tag:pakistan", "wire"], back.Rules[0].Feeds); // dawn is read by its tag, as before; wire by its id again
        Assert.Equal(config.Feeds.Select(Shape), back.Feeds.Select(Shape));
        Assert.Contains("rule kayani reads wire again", summary);
    }

    static string Shape(FeedDefinition f) =>
        $"{f.Id} {f.Url} {f.Name} {f.Backfill} {f.FullText} {f.MinIntervalMinutes} {f.Enabled} [{string.Join(",", f.Tags ?? [])}]";

    [Fact]
    public void An_import_skips_feeds_already_watched_makes_ids_from_titles_and_starts_every_new_feed_at_backfill_0()
    {
        var config = ConfigParser.Parse(Configured, "test");
        var plan = OpmlImport.Plan(config, Read("""
            <opml version="2.0"><body>
              <outline text="News"><outline text="Dawn again" xmlUrl="http://dawn.com/feeds/home/"/>
                <outline text="Dawn" xmlUrl="https://www.dawn.com/feeds/pakistan"/><outline text="Dawn" xmlUrl="https://www.dawn.com/feeds/world"/></outline>
              <outline text="جیو" url="https://www.geo.tv/rss/1/1"/>
            </body></opml>
            """), category: null);

        Assert.Equal("dawn", Assert.Single(plan.Skipped).ExistingId); // the same address, written another way
        Assert.Equal(["dawn-2", "dawn-3", "geo-tv"], plan.Added.Select(f => f.Id)); // a clash gets a suffix; an Urdu title, the host
        Assert.All(plan.Added, f => Assert.Equal(0, f.Backfill));
        Assert.Equal(["news", "news"], plan.Added.Take(2).Select(f => Assert.Single(f.Tags)));
        Assert.Contains("3 feeds imported (dawn-2, dawn-3, geo-tv); what they carry now is stored without alerts (backfill 0); 1 feed already watched: dawn", plan.Summary);
        Assert.Equal(["desk-news", "desk-news", "desk-news"], OpmlImport.Plan(config, Read("""<opml version="2.0"><body><outline text="A" xmlUrl="https://a.example/f"/><outline text="B" xmlUrl="https://b.example/f"/><outline text="C" xmlUrl="https://c.example/f"/></body></opml>"""), "Desk news").Added.Select(f => f.Tags[0]));
    }

    [Fact]
    public void What_reading_the_new_feeds_found_decides_which_are_added_and_where()
    {
        var plan = OpmlImport.Plan(ConfigParser.Parse("""{ "feeds": [], "channels": [], "rules": [] }""", "empty"), Read("""
            <opml version="2.0"><body><outline text="Page" xmlUrl="https://page.example/"/><outline text="Router" xmlUrl="http://192.168.1.1/feed"/>
            <outline text="Gone" xmlUrl="https://gone.example/feed"/></body></opml>
            """));
        var checks = new Dictionary<string, FeedCheck>
        {
            ["page"] = new FeedCheck.Read(new Uri("https://page.example/feed.xml")), // the feed the page advertises
            ["router"] = new FeedCheck.Private(),
            ["gone"] = new FeedCheck.Unreachable("connection refused"),
        };

        var strict = OpmlImport.Checked(plan, checks, keepUnreachable: false);
        var kept = OpmlImport.Checked(plan, checks, keepUnreachable: true);

        Assert.Equal([new Uri("https://page.example/feed.xml")], strict.Added.Select(f => f.Url));
        Assert.Equal(["line 1 ('Router'): not added: its address is in a private network (Syndication__AllowPrivateNetworks is off)",
            "line 2 ('Gone'): not added: could not be read: connection refused"], strict.Problems.Select(p => p.ToString()));
        Assert.Equal(["page", "gone"], kept.Added.Select(f => f.Id)); // a private network never, even when kept
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel/></rss>", "not an OPML file: its root element is <rss>, not <opml>")]
    [InlineData("<opml><body><outline text=\"a\" xmlUrl=\"https://a.example\"></body>", "not XML")]
    public void A_file_that_is_not_opml_is_refused_whole_with_why(string text, string expected) =>
        Assert.StartsWith(expected, Assert.Throws<OpmlException>(() => Read(text)).Message);

    [Fact]
    public void A_file_of_10_MB_or_5001_outlines_is_refused_and_bad_outlines_are_named_by_line_and_title()
    {
        Assert.StartsWith("the file is 10.0 MB", Assert.Throws<OpmlException>(() => Opml.Read(new byte[Opml.MaxBytes])).Message);
        var many = "<opml version=\"2.0\"><body>" + string.Concat(Enumerable.Range(0, 5_001).Select(i => $"<outline text=\"f{i}\" xmlUrl=\"https://f{i}.example/feed\"/>")) + "</body></opml>";
        Assert.Equal("5,001 outlines; at most 5,000 are read at once", Assert.Throws<OpmlException>(() => Read(many)).Message);

        var document = Read("""
            <opml version="2.0">
            <body>
            <outline text="Local" xmlUrl="file:///etc/passwd"/>
            <outline text="Empty"/>
            <outline text="Dawn" xmlUrl="https://www.dawn.com/feeds/home"/>
            <outline text="Dawn twice" xmlUrl="https://dawn.com/feeds/home/"/>
            </body>
            </opml>
            """);

        Assert.Equal(["line 3 ('Local'): 'file:///etc/passwd' is not an http:// or https:// address", "line 4 ('Empty'): an outline with no xmlUrl and no feeds inside it",
            "line 6 ('Dawn twice'): the same feed as line 5 ('Dawn')"], document.Problems.Select(p => p.ToString()));
        Assert.Equal("Dawn", Assert.Single(document.Feeds).Title);
    }
}
