namespace Syndication.Syntax;

/// <summary>The pieces of a message. Everything is plain text except <see cref="SummaryHtml"/>, which is escaped and highlighted.</summary>
public sealed record MessageParts(string Title, string Source, string Published, string? Link, IReadOnlyList<string> Rules, IReadOnlyList<string> Terms)
{
    public string SummaryHtml { get; init; } = "";

    /// <summary>Who wrote the story, when the feed says and the channel shows it.</summary>
    public string? Author { get; init; }
}
