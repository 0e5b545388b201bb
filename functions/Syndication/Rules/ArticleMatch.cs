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

    /// <summary>
    /// The matched terms as the matcher compiled them, so the message highlights and summarises with them without parsing
    /// them again; not stored (an article read back from storage has only <see cref="Terms"/>).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Syntax.ParsedTerm>? Parsed { get; init; }
}
