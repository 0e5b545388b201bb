namespace Syndication.Config;

/// <summary>A count in words, as every summary and message writes it: "1 feed", "3 feeds".</summary>
public static class Counted
{
    /// <param name="noun">The singular; the plural adds an "s" (every noun counted here does).</param>
    public static string Of(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}
