using System.Security;
using System.Text;
using BenchmarkDotNet.Attributes;
using Syndication.Feeds;

namespace Syndication.Benchmarks;

/// <summary>
/// Parsing a WordPress feed of 20 items, each a paragraph-rich story in content:encoded with a teaser description (about
/// 41 KB, as a news site's feed is): the XML read, every item's fields, and its HTML turned into the text rules read.
/// </summary>
[MemoryDiagnoser]
public class ParseFeed
{
    FetchedFeed feed = null!;
    FetchedFeed nextVersion = null!;
    Dictionary<string, SeenItem> seen = null!;

    [GlobalSetup]
    public void Setup()
    {
        feed = Build(0);
        nextVersion = Build(1);
        // What a sweep remembers of the feed it read last: its items as a seen list keeps them.
        seen = FeedParser.Parse(feed).Entries.ToDictionary(e => e.Key, e => new SeenItem(e.ContentHash, DateTimeOffset.UnixEpoch) { Raw = e.RawHash });
        Console.WriteLine($"// feed of {feed.Content.Length:N0} bytes");
    }

    /// <summary>The feed with its <paramref name="newer"/> newest items added on top (and as many old ones dropped).</summary>
    static FetchedFeed Build(int newer)
    {
        var story = string.Join("", Workload.Article.Text.Split('\n').Take(3).Select(p => $"<p>{SecurityElement.Escape(p)}</p>"));
        var items = Enumerable.Range(-newer, 20).Select(i =>
            $"<item><title>{SecurityElement.Escape(Workload.Article.Title)} {i}</title><link>https://www.pakistantoday.com.pk/2026/11/28/story-{i}/</link>" +
            $"<dc:creator><![CDATA[News Desk]]></dc:creator><pubDate>{new DateTimeOffset(2026, 11, 28, 6, 0, 0, TimeSpan.Zero).AddMinutes(-30 * i):r}</pubDate>" +
            $"<category><![CDATA[National]]></category><guid isPermaLink=\"false\">https://www.pakistantoday.com.pk/?p={112233 + i}</guid>" +
            $"<description><![CDATA[<p>{SecurityElement.Escape(Workload.Article.Summary)}</p>]]></description>" +
            $"<content:encoded><![CDATA[{story}]]></content:encoded></item>");
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" " +
            "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><channel><title>Pakistan Today</title><link>https://www.pakistantoday.com.pk/</link>" +
            $"<description>News</description>{string.Concat(items)}</channel></rss>";
        return new FetchedFeed(new Uri("https://www.pakistantoday.com.pk/feed/"), Encoding.UTF8.GetBytes(xml), "application/rss+xml", "utf-8");
    }

    /// <summary>Every item read and its HTML turned into text, as a first read of the feed does.</summary>
    [Benchmark]
    public int Parse() => FeedParser.Parse(feed).Entries.Sum(e => e.Text.Length);

    /// <summary>
    /// The feed fetched again with one new item, as a sweep reads it: every item parsed and told known or new, and only
    /// the new one's HTML turned into text (for the rules).
    /// </summary>
    [Benchmark]
    public int OneNewItem()
    {
        var converted = 0;
        foreach (var entry in FeedParser.Parse(nextVersion).Entries)
            if (!(seen.TryGetValue(entry.Key, out var known) && known.Matches(entry))) converted += entry.Text.Length;
        return converted;
    }
}
