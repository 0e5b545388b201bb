using System.Security.Cryptography;
using System.Text;

namespace Syndication.Feeds;

/// <summary>One item of a feed, reduced to what the pipeline needs. <see cref="Key"/> is never null.</summary>
public sealed record FeedEntry(
    string Key,
    string Title,
    string? Link,
    DateTimeOffset? Published,
    string? Author,
    IReadOnlyList<string> Categories,
    string Summary,
    string Text)
{
    /// <summary>
    /// A hash of what the feed says about the item (title and text, as the feed gives them): a known key with another
    /// hash is an edited story. Computed before any full-text fetch, so it does not change when the page does.
    /// </summary>
    public string ContentHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Title + "\n" + Text)))[..16];

    /// <summary>The item's picture: Media RSS content or thumbnail, an image enclosure, <c>itunes:image</c>, else the first <c>&lt;img&gt;</c>.</summary>
    public string? Image { get; init; }

    /// <summary>A published date more than a day in the future, which is not trusted (<see cref="Published"/> is then null).</summary>
    public DateTimeOffset? ClaimedPublished { get; init; }

    /// <summary>Distrusts a date more than a day ahead of <paramref name="now"/>: a wrong clock or zone at the source, not news from tomorrow.</summary>
    public FeedEntry WithTrustedDate(DateTimeOffset now) =>
        Published > now + TimeSpan.FromDays(1) ? this with { Published = null, ClaimedPublished = Published } : this;
}

/// <summary>A parsed feed: its own title (the source name subscribers see) and its items, newest first as the feed gave them.</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FeedEntry> Entries)
{
    /// <summary>What was mended so the feed could be read at all (an HTML entity, a bare '&amp;', a cut-off end), or nothing.</summary>
    public IReadOnlyList<string> Repairs { get; init; } = [];
}
