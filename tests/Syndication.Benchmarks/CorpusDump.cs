using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Syndication.Feeds;

namespace Syndication.Benchmarks;

/// <summary>
/// A dev-time tool, not a test: parses every file of a feed corpus (a folder with a <c>manifest.jsonl</c> of path, url
/// and contentType) and prints one JSON line per file with what the parser read, for <c>scripts/dev/compare-feedparser.py</c>
/// to hold against Python's feedparser. Ends with the parse time of the whole corpus on stderr.
/// </summary>
static class CorpusDump
{
    public static void Print(string folder)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var parsing = new Stopwatch();
        var files = new List<(Uri Url, byte[] Bytes, MediaTypeHeaderValue? Media)>();
        foreach (var line in File.ReadLines(Path.Combine(folder, "manifest.jsonl")))
        {
            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var path = root.GetProperty("path").GetString()!;
            var url = new Uri(root.GetProperty("url").GetString()!);
            var contentType = root.TryGetProperty("contentType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;
            MediaTypeHeaderValue.TryParse(contentType, out var media);
            var bytes = File.ReadAllBytes(Path.Combine(folder, path));
            files.Add((url, bytes, media));
            object result;
            parsing.Start();
            try
            {
                var feed = FeedParser.Parse(new FetchedFeed(url, bytes, media?.MediaType, media?.CharSet));
                parsing.Stop();
                result = new
                {
                    path,
                    title = feed.Title,
                    repairs = feed.Repairs,
                    items = feed.Entries.Select(e => new
                    {
                        key = e.Key, title = e.Title, link = e.Link, published = e.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"),
                        author = e.Author, summary = e.Summary, text = e.Text,
                    }),
                };
            }
            catch (FeedFetchException ex)
            {
                parsing.Stop();
                result = new { path, error = ex.Message };
            }
            Console.WriteLine(JsonSerializer.Serialize(result, options));
        }
        // A second pass, warm, as a long-running worker parses: the first includes compiling the parser's code.
        var warm = Stopwatch.StartNew();
        foreach (var (url, bytes, media) in files)
        {
            try { FeedParser.Parse(new FetchedFeed(url, bytes, media?.MediaType, media?.CharSet)); }
            catch (FeedFetchException) { }
        }
        Console.Error.WriteLine($"parsed in {parsing.Elapsed.TotalSeconds:0.000} s (first pass), {warm.Elapsed.TotalSeconds:0.000} s (warm)");
    }
}
