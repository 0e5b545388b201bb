using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Articles;

/// <summary>What the day's log keeps of a new article: enough to match a watch or a rule against, and to show it.</summary>
public sealed record Headline(string FeedId, string Key, string Title, string? Link, DateTimeOffset? Published, IReadOnlyList<string> Categories, string Lead, DateTimeOffset FetchedAt)
{
    /// <summary>The lead is cut to this many characters: a headline log is read whole by every <c>/watch</c>.</summary>
    public const int LeadLength = 300;

    public static Headline Of(Article article) => new(article.FeedId, article.Key, article.Title, article.Link, article.Published, article.Categories,
        article.Summary.Length <= LeadLength ? article.Summary : article.Summary[..LeadLength], article.FetchedAt);

    /// <summary>As an article, for the matcher: its lead stands for its summary and text.</summary>
    public Article AsArticle() => new(FeedId, Key, Title, Link, Published, null, Categories, Lead, Lead, FetchedAt, []);
}

/// <summary>
/// The last day's new articles, as headlines and leads, for answering "what would this have matched?" without listing
/// the articles container: one append blob an hour, <c>feeds/headlines/{yyyy-MM-dd-HH}.jsonl</c>, one JSON line per
/// article. A batch appends its new articles in one request (none when it stored nothing); the hour's first append also
/// deletes the log of two days before, so the log never holds more than about 48 hours. The log is a convenience: a
/// failure to write it is logged and never fails a batch, and a line that cannot be read is skipped.
/// </summary>
public sealed partial class HeadlineLog(StorageContainers containers, TimeProvider time, ILogger<HeadlineLog> logger)
{
    const string Prefix = "headlines/";

    /// <summary>How long a log is kept: reads go back a day, and a day more covers a read that spans midnight.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromHours(48);

    /// <summary>An append blob takes blocks of up to 4 MiB.</summary>
    const int MaxBlock = 4 * 1024 * 1024;

    public static string NameFor(DateTimeOffset at) => Prefix + at.UtcDateTime.ToString("yyyy-MM-dd-HH", CultureInfo.InvariantCulture) + ".jsonl";

    /// <summary>The hours' logs that hold what was fetched from <paramref name="since"/> to <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<string> NamesBetween(DateTimeOffset since, DateTimeOffset now)
    {
        var names = new List<string>();
        for (var hour = since.UtcDateTime.Date.AddHours(since.UtcDateTime.Hour); hour <= now.UtcDateTime; hour = hour.AddHours(1))
            names.Add(NameFor(new DateTimeOffset(hour, TimeSpan.Zero)));
        return names;
    }

    /// <summary>The headlines as JSON lines, cut into blocks an append blob takes.</summary>
    public static IReadOnlyList<byte[]> Blocks(IEnumerable<Headline> headlines)
    {
        var blocks = new List<byte[]>();
        var block = new MemoryStream();
        foreach (var headline in headlines)
        {
            var line = JsonSerializer.SerializeToUtf8Bytes(headline, BlobJson.Compact);
            if (block.Length > 0 && block.Length + line.Length + 1 > MaxBlock)
            {
                blocks.Add(block.ToArray());
                block.SetLength(0);
            }
            block.Write(line);
            block.WriteByte((byte)'\n');
        }
        if (block.Length > 0) blocks.Add(block.ToArray());
        return blocks;
    }

    /// <summary>The headlines in a log's text; lines that cannot be read are skipped.</summary>
    public static IEnumerable<Headline> Parse(string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Headline? headline;
            try
            {
                headline = JsonSerializer.Deserialize<Headline>(line, BlobJson.Compact);
            }
            catch (JsonException)
            {
                continue; // a line cut short by a failed append
            }
            if (JsonShape.Problem(headline) is null) yield return headline!; // a line of the wrong shape is skipped as a torn one is
        }
    }

    /// <summary>Adds a batch's new articles to this hour's log: one append, and on the hour's first, one old log deleted.</summary>
    public async Task AppendAsync(IReadOnlyList<Article> stored, CancellationToken cancellationToken)
    {
        if (stored.Count == 0) return;
        var now = time.GetUtcNow();
        try
        {
            var blob = containers.Feeds.GetAppendBlobClient(NameFor(now));
            var created = await blob.CreateIfNotExistsAsync(new AppendBlobCreateOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson; charset=utf-8" } }, cancellationToken);
            if (created is not null)
                await containers.Feeds.GetBlobClient(NameFor(now - Kept - TimeSpan.FromHours(1))).DeleteIfExistsAsync(cancellationToken: cancellationToken);
            foreach (var block in Blocks(stored.Select(Headline.Of)))
                await blob.AppendBlockAsync(new MemoryStream(block), cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Storage refusing or not answering, in any of the ways the client reports it: previews miss these lines, nothing else.
            LogNotWritten(stored.Count, ex.FirstLine());
        }
    }

    /// <summary>Every headline fetched since <paramref name="since"/>, oldest log first, each article once.</summary>
    public async Task<IReadOnlyList<Headline>> ReadSinceAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        var names = NamesBetween(since, time.GetUtcNow());
        var texts = new string?[names.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, names.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                texts[i] = (await containers.Feeds.GetBlobClient(names[i]).DownloadContentAsync(ct)).Value.Content.ToString();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // No new article in that hour, or storage made anew.
            }
        });
        var seen = new HashSet<(string, string)>();
        return [.. texts.OfType<string>().SelectMany(Parse).Where(h => h.FetchedAt >= since && seen.Add((h.FeedId, h.Key)))];
    }

    [LoggerMessage(LogLevel.Warning, "The hour's headline log (what /watch previews from) could not take {Count} new articles; they are stored and alerted as usual: {Reason}")]
    partial void LogNotWritten(int count, string reason);
}
