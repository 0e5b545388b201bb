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
    string Text);

/// <summary>A parsed feed: its own title (the source name subscribers see) and its items, newest first as the feed gave them.</summary>
public sealed record ParsedFeed(string? Title, IReadOnlyList<FeedEntry> Entries);
