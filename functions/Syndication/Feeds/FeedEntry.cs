using Syndication.Primitives;

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
    // An entry read from a feed converts its HTML to text only when something asks for the text: most items of a feed
    // fetched again are known, and RawHash alone tells them apart.
    Lazy<(string Summary, string Text)>? body;
    string? summary = Summary;
    string? text = Text;

    /// <summary>An entry whose <see cref="Summary"/> and <see cref="Text"/> are <paramref name="body"/>'s, made when first read.</summary>
    internal static FeedEntry FromFeed(string key, string title, string? link, DateTimeOffset? published, string? author, IReadOnlyList<string> categories,
        Func<(string Summary, string Text)> body, string rawHash) =>
        new(key, title, link, published, author, categories, null!, null!) { body = new(body), RawHash = rawHash };

    public string Summary { get => summary ?? body!.Value.Summary; init => summary = value; }

    public string Text { get => text ?? body!.Value.Text; init => text = value; }

    /// <summary>
    /// A hash of what the feed says about the item (title and text, as the feed gives them): a known key with another
    /// hash is an edited story. Computed before any full-text fetch, so it does not change when the page does.
    /// </summary>
    public string ContentHash => Hashes.Hex(Title + "\n" + Text, 16);

    /// <summary>
    /// A hash of the item as the feed wrote it (title, and its bodies before any HTML is read): equal means unchanged
    /// without converting anything. Markup can change while the text does not, so a differing RawHash is settled by
    /// <see cref="ContentHash"/>. An entry not read from a feed has its ContentHash here.
    /// </summary>
    public string RawHash { get => rawHash ?? ContentHash; init => rawHash = value; }
    string? rawHash;

    public bool Equals(FeedEntry? other) =>
        other is not null && Key == other.Key && Title == other.Title && Link == other.Link && Published == other.Published && Author == other.Author
        && Categories.SequenceEqual(other.Categories) && Summary == other.Summary && Text == other.Text && Image == other.Image && ClaimedPublished == other.ClaimedPublished;

    public override int GetHashCode() => HashCode.Combine(Key, Title, Link, Published);

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

    /// <summary>The site the feed belongs to (RSS's channel link, Atom's alternate link), absolute; null when it names none.</summary>
    public string? Site { get; init; }
}
