namespace Syndication.Feeds;

/// <summary>A feed could not be fetched or read. The message says why, in words an operator can act on.</summary>
public sealed class FeedFetchException(string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>The HTTP status, when the server answered.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The server's Retry-After on a 429 or 503 (RFC 9110 §10.2.3).</summary>
    public TimeSpan? RetryAfter { get; init; }
}
