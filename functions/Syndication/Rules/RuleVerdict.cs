namespace Syndication.Rules;

/// <summary>Where a term was found: the field, and a short snippet with the hit in [brackets].</summary>
public sealed record TermHit(string Term, string Field, string Snippet);

/// <summary>A channel a matching rule would have sent to, kept out by the channel's own <c>noneOf</c>.</summary>
public sealed record ChannelBlock(string ChannelId, TermHit By);

/// <summary>
/// Whether a rule matched an article, and why: the terms that hit, the <c>noneOf</c> terms that blocked it, the
/// <c>allOf</c> terms that were missing, or that no <c>anyOf</c> term occurred.
/// </summary>
public sealed record RuleVerdict(
    string RuleId,
    bool Matched,
    IReadOnlyList<TermHit> Hits,
    IReadOnlyList<TermHit> BlockedBy,
    IReadOnlyList<string> MissingAllOf,
    bool NoAnyOfTerm,
    IReadOnlyList<string> Channels,
    IReadOnlyList<ChannelBlock> ChannelBlocks,
    bool CaseSensitive)
{
    /// <summary>The terms of <see cref="Hits"/>, as the matcher compiled them.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<Syntax.ParsedTerm> HitTerms { get; init; } = [];

    /// <summary>One line a person can read.</summary>
    public string Reason =>
        Matched ? "matched: " + string.Join("; ", Hits.Select(h => $"'{h.Term}' in {h.Field}"))
        : BlockedBy.Count > 0 ? "blocked by noneOf: " + string.Join("; ", BlockedBy.Select(h => $"'{h.Term}' in {h.Field}"))
        : MissingAllOf.Count > 0 ? "missing allOf: " + string.Join(", ", MissingAllOf.Select(t => $"'{t}'"))
        : NoAnyOfTerm ? "no anyOf term found"
        : ChannelBlocks.Count > 0 ? "every channel blocked: " + string.Join("; ", ChannelBlocks.Select(b => $"{b.ChannelId} by '{b.By.Term}' in {b.By.Field}"))
        : "not matched";
}
