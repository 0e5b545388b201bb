using Syndication.Feeds;
using Syndication.Primitives;
using Syndication.Rules;

namespace Syndication.Articles;

/// <summary>An article as kept in the <c>articles</c> container: one JSON blob each, named <see cref="BlobName"/>.</summary>
public sealed record Article(
    string FeedId,
    string Key,
    string Title,
    string? Link,
    DateTimeOffset? Published,
    string? Author,
    IReadOnlyList<string> Categories,
    string Summary,
    string Text,
    DateTimeOffset FetchedAt,
    IReadOnlyList<ArticleMatch> Matches)
{
    /// <summary>
    /// <c>{feedId}/{first 32 hex digits of SHA-256(normalized key)}.json</c>. Keys are URLs or arbitrary guids, so they
    /// are hashed to a name that is always a valid blob name; the key itself is inside the JSON. See <see cref="ItemKey"/>.
    /// </summary>
    public static string BlobNameFor(string feedId, string key) => $"{feedId}/{IdFor(key)}.json";

    /// <summary>An item's id within its feed: the hash its article's blob is named by, and its seen item is keyed by.</summary>
    public static string IdFor(string key) => Hashes.Hex(ItemKey.Normalize(key), 32);

    /// <summary>A hash of what subscribers read (title and text), to tell an edited story from an unchanged one.</summary>
    public string ContentHash => Hashes.Hex(Title + "\n" + Text, 32);

    public string BlobName => BlobNameFor(FeedId, Key);

    /// <summary>When this version replaced an earlier one because the feed edited the story; null for the first version.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>The article's picture (its feed's media, enclosure or first image), an absolute http(s) URL, or null.</summary>
    public string? Image { get; init; }

    /// <summary>
    /// Channel id → the article (blob name) already alerted there that this one repeats (same canonical address, or
    /// near-identical title and lead, within 48 hours); this one was not alerted to those channels. Null when none.
    /// </summary>
    public IReadOnlyDictionary<string, string>? DuplicateOf { get; init; }

    /// <summary>A date the feed gave that lay more than a day in the future: not trusted, so the fetch time stands in for it.</summary>
    public DateTimeOffset? ClaimedPublished { get; init; }

    /// <summary>The outlet's name as alerts show it (the feed's <c>name</c>, else its title); null in articles stored before it was kept.</summary>
    public string? Source { get; init; }

    /// <summary>
    /// The outlets that carried the article's story when it came, where the configuration counts them (<c>growing</c>,
    /// <c>minOutlets</c>) and the alert names them; null otherwise.
    /// </summary>
    public StorySoFar? Story { get; init; }

    public static Article From(string feedId, FeedEntry entry, DateTimeOffset fetchedAt, IReadOnlyList<ArticleMatch> matches) =>
        new(feedId, entry.Key, entry.Title, entry.Link, entry.Published, entry.Author, entry.Categories, entry.Summary, entry.Text, fetchedAt, matches)
        {
            Image = entry.Image,
            ClaimedPublished = entry.ClaimedPublished,
        };
}

/// <summary>
/// A story as its outlets had carried it when an article of it came: the outlets in the order they came (the first report
/// first, the article's own among them) and the time from the first report to the latest. <see cref="GrowingIn"/> names the
/// channels it reached a <c>growing</c> threshold in with this article, <see cref="GrownIn"/> those it had reached one in before.
/// </summary>
public sealed record StorySoFar(IReadOnlyList<Outlet> Outlets, TimeSpan Span)
{
    public IReadOnlyList<string> GrowingIn { get; init; } = [];

    /// <summary>The channels its story had grown past the threshold in before the article came: there it is one more outlet of that alert.</summary>
    public IReadOnlyList<string> GrownIn { get; init; } = [];

    /// <summary>The outlets other than the one at <paramref name="site"/> (the article's own), the first report first.</summary>
    public IReadOnlyList<Outlet> Others(string? site) => [.. Outlets.Where(o => o.Site != site)];
}
