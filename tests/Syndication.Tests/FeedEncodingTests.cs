using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Documents in every encoding feedparser's own encoding test declares (116 names, EBCDIC's among them), written by
/// Python's codecs as that test writes them, and an unlabelled ISO-2022-JP feed: each must be read with its title, as
/// feedparser reads it, with no HTTP header to help.
/// </summary>
public sealed class FeedEncodingTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Repo.TestData("feedparser-encodings/expected.tsv")).Where(l => !l.StartsWith('#')))
        {
            var cells = line.Split('\t');
            data.Add(cells[0], char.ConvertFromUtf32(Convert.ToInt32(cells[1][2..], 16)));
        }
        return data;
    }

    static ParsedFeed Parse(string file) =>
        FeedParser.Parse(new FetchedFeed(new Uri("http://127.0.0.1/" + file), File.ReadAllBytes(Repo.TestData("feedparser-encodings/" + file)), null, null));

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_feed_in_each_encoding_feedparser_tests_is_read_with_its_title(string file, string title) =>
        Assert.Equal(title, Parse(file).Title);

    [Fact]
    public void All_of_feedparsers_encodings_are_here() => Assert.Equal(116, Cases().Count);

    [Fact]
    public void An_unlabelled_iso_2022_jp_feed_is_read()
    {
        var feed = Parse("iso-2022-jp-unlabelled.xml");

        Assert.Equal("日本のニュース", feed.Title);
        Assert.Equal("東京で地震", Assert.Single(feed.Entries).Title);
    }
}
