namespace Syndication.Rules;

/// <summary>
/// A rule that matched the article, the terms that made it match, and the channels it routes to, with the explanation:
/// each hit's field and a snippet around it.
/// </summary>
public sealed record ArticleMatch(string RuleId, IReadOnlyList<string> Terms, IReadOnlyList<string> Channels)
{
    public IReadOnlyList<TermHit> Hits { get; init; } = [];

    /// <summary>The rule matched in exact case; highlighting in the message follows it.</summary>
    public bool CaseSensitive { get; init; }
}
