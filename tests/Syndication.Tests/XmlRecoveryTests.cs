using System.Text;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Broken XML that real feeds serve, recovered rather than rejected, with each repair named; and what must still fail.
/// Cases from feedparser's entity and ill-formed tests and gofeed's and miniflux's test data. Pure: no I/O.
/// </summary>
[Trait(SecondPass.Name, SecondPass.TimeZone)]
public sealed class XmlRecoveryTests
{
    static ParsedFeed Parse(string xml, string? mediaType = "application/rss+xml") =>
        FeedParser.Parse(new FetchedFeed(new Uri("https://news.example/feed"), Encoding.UTF8.GetBytes(xml), mediaType, "utf-8"));

    static string Rss(string channelTitle, string items) =>
        $"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{channelTitle}</title><link>https://news.example/</link>{items}</channel></rss>";

    [Theory]
    [InlineData("<item><title>Caf&eacute; &copy; 2026</title><guid>1</guid></item>", "Café © 2026", "HTML entity")]
    [InlineData("<item><title>Fish & Chips</title><guid>1</guid></item>", "Fish & Chips", "bare '&'")]
    [InlineData("<item><title>A&#X41;</title><guid>1</guid></item>", "AA", "small x")]
    [InlineData("<item><title>Bell\u0007 rings</title><guid>1</guid></item>", "Bell rings", null)] // the strict reader already tolerates it
    [InlineData("<item><title>Pod</title><guid>1</guid><itunes:author>Someone</itunes:author></item>", "Pod", "itunes")]
    public void Broken_xml_is_mended_and_read(string item, string title, string? repair)
    {
        var feed = Parse(Rss("Desk", item));

        Assert.Equal(title, Assert.Single(feed.Entries).Title);
        if (repair is not null) Assert.Contains(feed.Repairs, r => r.Contains(repair));
    }

    [Fact]
    public void Cdata_sections_are_left_as_they_are_while_the_rest_is_mended()
    {
        // A text title in CDATA means exactly its characters: escaping its '&' would show "&amp;" to subscribers.
        var atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Fish & Chips</title><id>urn:f</id><updated>2026-11-28T06:00:00Z</updated>" +
            "<entry><title type=\"text\"><![CDATA[AT&T &copy; news]]></title><id>urn:1</id><updated>2026-11-28T06:00:00Z</updated></entry></feed>";
        var feed = Parse(atom, "application/atom+xml");
        Assert.Contains(feed.Repairs, r => r.Contains("bare '&'"));
        Assert.Equal("AT&T &copy; news", Assert.Single(feed.Entries).Title);
    }

    [Fact]
    public void A_bare_ampersand_in_a_link_keeps_the_link_whole()
    {
        var entry = Assert.Single(Parse(Rss("Desk", "<item><title>x</title><link>https://news.example/a?x=1&y=2</link></item>")).Entries);
        Assert.Equal("https://news.example/a?x=1&y=2", entry.Link);
    }

    [Fact]
    public void A_document_cut_off_in_transit_keeps_the_items_before_the_cut()
    {
        var whole = Rss("Desk", "<item><title>One</title><guid>1</guid></item><item><title>Two</title><guid>2</guid></item><item><title>Thr");
        var feed = Parse(whole[..whole.IndexOf("<title>Thr", StringComparison.Ordinal)]);

        Assert.Equal(["One", "Two"], feed.Entries.Select(e => e.Title));
        Assert.Contains(feed.Repairs, r => r.Contains("cut off"));
    }

    [Fact]
    public void A_document_cut_off_among_the_channels_own_elements_is_closed()
    {
        // feedparser's entity tests end "</rss" without its '>'.
        var feed = Parse("<rss><channel><title>testing &#8216; entity</title></channel></rss");
        Assert.Equal("testing \u2018 entity", feed.Title);
        Assert.Empty(feed.Entries);
    }

    [Fact]
    public void A_cut_inside_the_first_item_never_yields_a_half_item()
    {
        // Nothing complete to keep: the feed fails with the strict reason, and the next fetch tries again.
        var error = Assert.Throws<FeedFetchException>(() => Parse("<rss><channel><title>T</title><item><title>Half a tit"));
        Assert.Contains("Unexpected end of file", error.Message);
    }

    [Theory]
    [InlineData("<r:rss version=\"2.0\" xmlns:r=\"http://backend.userland.com/rss2\"><r:channel><r:title>T</r:title><r:item><r:title>Prefixed</r:title><r:guid>1</r:guid></r:item></r:channel></r:rss>")]
    [InlineData("<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" xmlns:rss=\"http://purl.org/rss/1.0/\"><rss:channel rdf:about=\"https://s.example/\"><rss:title>T</rss:title></rss:channel><rss:item rdf:about=\"https://s.example/1\"><rss:title>Prefixed</rss:title><rss:link>https://s.example/1</rss:link></rss:item></rdf:RDF>")]
    public void Rss_written_with_a_prefix_on_its_own_elements_is_read(string xml)
    {
        var feed = Parse(xml);
        Assert.Equal("Prefixed", Assert.Single(feed.Entries).Title);
        Assert.Contains(feed.Repairs, r => r.Contains("namespace prefix"));
    }

    [Fact]
    public void Text_before_the_xml_declaration_is_dropped()
    {
        var feed = Parse("\n  <!-- generated -->\n" + Rss("Desk", "<item><title>x</title><guid>1</guid></item>"));
        Assert.Single(feed.Entries);
    }

    [Fact]
    public void A_well_formed_feed_needs_no_repair()
    {
        var feed = Parse(Rss("Desk &amp; Co", "<item><title>A &lt;b&gt; tag</title><guid>1</guid></item>"));
        Assert.Empty(feed.Repairs);
        Assert.Equal("Desk & Co", feed.Title);
    }

    [Fact]
    public void A_feed_served_as_text_html_is_still_a_feed()
    {
        var feed = Parse(Rss("Desk", "<item><title>x</title><guid>1</guid></item>"), "text/html");
        Assert.Single(feed.Entries);
    }

    [Fact]
    public void An_html_page_fails_and_names_the_feed_it_advertises()
    {
        const string page = "<!DOCTYPE html><html><head><title>News</title>" +
            "<link rel=\"alternate\" type=\"application/rss+xml\" title=\"RSS\" href=\"/feed/\"></head><body>Hi</body></html>";

        var error = Assert.Throws<FeedFetchException>(() => Parse(page, "text/html"));

        Assert.Contains("HTML page", error.Message);
        Assert.Contains("did you mean https://news.example/feed/?", error.Message);
    }

    [Fact]
    public void An_rss_document_with_no_channel_is_an_empty_feed_not_an_error() =>
        Assert.Empty(Parse("<?xml version=\"1.0\"?><rss version=\"2.0\"></rss>").Entries);

    [Theory]
    // gofeed's and miniflux's test data: a typo in an end tag, and a stray end tag of an element never opened.
    [InlineData("<item><title>Fish</tilte><guid>1</guid></item>", "Fish", "misspelt end tag")]
    [InlineData("<item><title>Fish</title><guid>1</guid></content></item>", "Fish", "dropped 1 end tag")]
    [InlineData("<item><title>Fish</title><guid>1</guid><category>News</item>", "Fish", "closed 1 element")]
    public void End_tags_that_do_not_match_are_mended_as_html_parsers_mend_them(string item, string title, string repair)
    {
        var feed = Parse(Rss("Desk", item));

        Assert.Equal(title, Assert.Single(feed.Entries).Title);
        Assert.Contains(feed.Repairs, r => r.Contains(repair));
    }

    [Fact]
    public void A_channel_definition_format_document_is_read_as_rss()
    {
        // Microsoft's CDF, from feedparser's tests: the address is HREF, the date LASTMOD, the text ABSTRACT.
        var feed = Parse("<CHANNEL BASE=\"http://base.example.org/\" HREF=\"http://www.example.org/\"><TITLE>channel title</TITLE>" +
            "<ITEM HREF=\"/item/1\" LASTMOD=\"2004-04-06T23:05:43-05:00\"><TITLE>item title</TITLE><ABSTRACT>item abstract</ABSTRACT></ITEM></CHANNEL>", "application/xml");

        var item = Assert.Single(feed.Entries);
        Assert.Equal("channel title", feed.Title);
        Assert.Equal(("item title", "http://base.example.org/item/1", "item abstract"), (item.Title, item.Link, item.Summary));
        Assert.Equal(DateTimeOffset.Parse("2004-04-07T04:05:43Z", System.Globalization.CultureInfo.InvariantCulture), item.Published);
    }

    [Fact]
    public void Xml_that_cannot_be_mended_still_fails_with_the_strict_parsers_reason()
    {
        var error = Assert.Throws<FeedFetchException>(() => Parse(Rss("Desk", "<item><title lang=en>x</title></item>")));
        Assert.StartsWith("malformed XML at line 1", error.Message);
    }
}
