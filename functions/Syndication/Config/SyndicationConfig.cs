namespace Syndication.Config;

/// <summary>The editors' configuration: which feeds to watch, where alerts go, and the rules between them.</summary>
public sealed record SyndicationConfig(
    IReadOnlyList<FeedDefinition> Feeds,
    IReadOnlyList<ChannelDefinition> Channels,
    IReadOnlyList<RuleDefinition> Rules)
{
    public ChannelDefinition? FindChannel(string id) => Channels.FirstOrDefault(c => c.Id == id);
}

/// <param name="Backfill">How many of the newest matching items to alert the first time the feed is seen.</param>
public sealed record FeedDefinition(string Id, Uri Url, int Backfill, string? Name)
{
    public string DisplayName => Name ?? Id;
}

/// <param name="Chat">Either <c>@channelname</c> or a numeric chat id written as a string.</param>
public sealed record ChannelDefinition(string Id, string Chat);

/// <param name="Feeds">Feed ids the rule is limited to; <c>null</c> means every feed.</param>
public sealed record RuleDefinition(
    string Id,
    IReadOnlyList<string> Channels,
    IReadOnlyList<string>? Feeds,
    IReadOnlyList<string> AnyOf,
    IReadOnlyList<string> AllOf,
    IReadOnlyList<string> NoneOf)
{
    public bool AppliesTo(string feedId) => Feeds is null || Feeds.Contains(feedId);
}
