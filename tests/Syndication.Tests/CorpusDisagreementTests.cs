using System.Net.Http.Headers;
using System.Text.Json;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Files of the public corpus where this parser and feedparser read different things, and this parser is right: each
/// case says what a subscriber should get and why feedparser's answer is wrong for them.
/// </summary>
public sealed class CorpusDisagreementTests
{
    static FeedEntry First(string path) => Read(path).Entries[0];

    static ParsedFeed Read(string path)
    {
        var root = Repo.TestData("corpus");
        var manifest = File.ReadLines(Path.Combine(root, "manifest.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Single(e => e.GetProperty("path").GetString() == path);
        MediaTypeHeaderValue.TryParse(manifest.GetProperty("contentType").ValueKind == JsonValueKind.String ? manifest.GetProperty("contentType").GetString() : null, out var media);
        return FeedParser.Parse(new FetchedFeed(new Uri(manifest.GetProperty("url").GetString()!), File.ReadAllBytes(Path.Combine(root, path)), media?.MediaType, media?.CharSet));
    }

    [Theory]
    // feedparser takes an opaque or relative Atom id as the article's address; it is an identifier, not a page.
    [InlineData("feedparser/tests/wellformed/base/http_entry_id_base_docuri.xml", null)]
    [InlineData("feedparser/tests/wellformed/base/http_entry_id_base_content_location.xml", null)]
    [InlineData("feedparser/tests/wellformed/node_precedence/atom10_id.xml", null)]
    [InlineData("feedparser/tests/wellformed/atom10/entry_id_with_attributes.xml", null)]
    [InlineData("feedparser/tests/wellformed/lang/http_content_language_entry_title_inherit_2.xml", null)]
    [InlineData("gofeed/testdata/parser/atom/entry_id_xml_base.xml", null)]
    // feedparser takes the last of several <link>s; the first is the item's own page.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_links.xml", "http://example.org")]
    [InlineData("gofeed/testdata/parser/rss/rdf_item_links.xml", "http://example.org")]
    [InlineData("gofeed/testdata/translator/rss/feed_item_links_-_rss_channel_item_links.xml", "http://example.org")]
    // An enclosure (a podcast's audio, say) is never the article: feedparser falls back to it when the alternate
    // link has its address as text instead of href; this parser reads that text.
    [InlineData("feedparser/tests/wellformed/atom10/entry_link_no_href_link_priority.xml", "http://www.example.com/alternate")]
    [InlineData("feedparser/tests/wellformed/atom10/entry_link_rel_enclosure_no_href.xml", "http://www.example.com/alternate")]
    [InlineData("feedparser/tests/wellformed/atom/entry_link_no_href_link_priority.xml", "http://www.example.com/alternate")]
    [InlineData("feedparser/tests/wellformed/atom/entry_link_rel_enclosure_no_href.xml", "http://www.example.com/alternate")]
    // A relative link resolves against the site the feed names, as miniflux does; feedparser uses the feed's own URL,
    // which for a feed served from a feed host (FeedBurner and the like) points at the wrong site.
    [InlineData("miniflux/embedded/atom__TestParseEntryWithRelativeURL__0.xml", "http://example.org/something.html")]
    [InlineData("miniflux/embedded/rdf__TestParseItemRelativeURL__0.xml", "http://example.org/something.html")]
    // feedparser hands out an at:// address no browser or Telegram opens; the item's http link is there too.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_uri_at_protocol.xml", "http://example.com/item")]
    // A guid that says isPermaLink="false" is not a page, whatever feedparser makes of it.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_guid_no_permalink.xml", null)]
    public void Links_where_feedparser_is_wrong(string path, string? link) => Assert.Equal(link, First(path).Link);

    [Theory]
    // A creation date is the best date an item without another has; feedparser leaves such items undated.
    [InlineData("feedparser/tests/wellformed/atom/entry_created.xml", "2004-01-01T19:48:21Z")]
    [InlineData("feedparser/tests/wellformed/atom/entry_created_parsed.xml", "2003-12-31T10:14:55Z")]
    [InlineData("feedparser/tests/wellformed/atom/entry_created_multiple_values.xml", "2010-12-01T10:14:55Z")]
    [InlineData("feedparser/tests/wellformed/rss/item_dcterms_created_parsed.xml", "2003-12-31T10:14:55Z")]
    [InlineData("feedparser/tests/wellformed/rss/item_dcterms_created.xml", "2003-12-31T10:14:55Z")]
    // Of several dates of one kind, the first is kept, where feedparser keeps the last: the feeds are equally ambiguous.
    [InlineData("feedparser/tests/wellformed/atom/entry_updated_multiple_values.xml", "2010-12-01T10:14:55Z")]
    public void Dates_the_reference_parser_leaves_out_or_overwrites(string path, string expected) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), First(path).Published);

    [Theory]
    // feedparser reads the compact ISO 8601 form 20030610T040000Z as midnight.
    [InlineData("2003-06-10T04:00:00Z", "20030610T040000Z")]
    public void Dates_where_feedparser_is_wrong(string expected, string text) =>
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), FeedDates.Parse(text));

    [Theory]
    // Two entries that read the same (no id, no title, one page) are one story: one alert, where feedparser counts two
    // because it reads their links differently (and against its own test's expectation).
    [InlineData("feedparser/tests/wellformed/atom10/entry_link_no_href_link_priority.xml", 1)]
    [InlineData("feedparser/tests/wellformed/atom/entry_link_rel_enclosure_no_href.xml", 1)]
    [InlineData("feedparser/tests/wellformed/node_precedence/atom10_id.xml", 1)]
    // Atom has no <item> element: an <item> in an Atom feed is not an entry, and these carry nothing a subscriber reads.
    [InlineData("feedparser/tests/wellformed/namespace/unknown-namespace.xml", 0)]
    [InlineData("feedparser/tests/wellformed/base/http_entry_contributor_url_base_docuri.xml", 0)]
    public void Items_feedparser_counts_that_are_no_story_of_their_own(string path, int items) => Assert.Equal(items, Read(path).Entries.Count);

    [Theory]
    // feedparser takes the title of an <image> inside a <category>, or of a media file, for the item's title.
    [InlineData("feedparser/tests/wellformed/rss/item_category_image.xml", "")]
    [InlineData("gofeed/testdata/parser/rss/issue_217_enclosure_children.xml", "")]
    // It keeps a backspace control character in the text; it is not a character anyone reads.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_illegal_char.xml", "abcd")]
    // A browser shows neither the page's <head> nor its scripts; feedparser keeps both in the title.
    [InlineData("feedparser/tests/wellformed/sanitize/entry_title_crazy.xml", "Did The Javascript Execute? I will execute here, too, if you mouse over me")]
    public void Titles_where_feedparser_is_wrong(string path, string title) => Assert.Equal(title, First(path).Title);

    [Theory]
    // Of several authors, the first is the byline; feedparser keeps the last.
    [InlineData("miniflux/embedded/atom__TestParseEntryWithMultipleAuthors__0.xml", "Alice")]
    [InlineData("feedparser/tests/wellformed/atom10/entry_authors_name.xml", "one")]
    [InlineData("feedparser/tests/wellformed/atom10/entry_authors_email.xml", "one@one.com")]
    [InlineData("gofeed/testdata/parser/atom/atom10_feed_entry_author_multiple.xml", "Author Name 1")]
    // Escaped twice in CDATA: the tags are text the publisher wrote, shown as such; feedparser leaves them escaped.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_author_cdata_escaped_markup.xml", "<p>Item Author</p>")]
    // feedparser cuts "Simon St.Laurent (mailto:simonstl@simonstl.com)" at the colon.
    [InlineData("miniflux/embedded/rdf__TestParseRDFSampleWithDublinCore__0.xml", "Simon St.Laurent")]
    // An author written as markup is named, where feedparser reads nothing.
    [InlineData("gofeed/testdata/parser/rss/rss_channel_item_author_naked_markup.xml", "Item Author")]
    public void Authors_where_feedparser_is_wrong(string path, string author) => Assert.Equal(author, First(path).Author);

    [Fact]
    public void A_mailto_id_is_no_page() =>
        Assert.Null(Read("miniflux/embedded/atom__TestParseEntryWithIDAsURL__0.xml").Entries[1].Link);

    [Fact]
    public void The_scheme_of_a_link_is_case_insensitive() =>
        Assert.Equal("http://www.example.org/thing", First("feedparser/tests/wellformed/atom10/entry_id_no_normalization_4.xml").Link);
}
