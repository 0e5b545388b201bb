using System.Net.Http.Headers;
using System.Text.Json;
using Syndication.Feeds;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The parser against public test data nobody here wrote: feedparser's, gofeed's and miniflux's test feeds (2,850 files, with
/// their licences, in testdata/corpus). Golden values are the reference parser's own (Python's feedparser 6.0.10), for
/// every file where this parser agrees with it: <c>scripts/dev/compare-feedparser.py --write-golden</c> writes them.
/// </summary>
public sealed class CorpusTests
{
    static readonly string Root = Repo.TestData("corpus");

    sealed record Manifest(string Path, string Url, string? ContentType);

    sealed record GoldenItem(string Title, string? Link, string? Published);

    sealed record Golden(string Path, IReadOnlyList<GoldenItem> Items);

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    static readonly Dictionary<string, Manifest> Files = File.ReadLines(Path.Combine(Root, "manifest.jsonl"))
        .Select(line => JsonSerializer.Deserialize<Manifest>(line, Json)!)
        .ToDictionary(m => m.Path);

    static ParsedFeed Parse(Manifest file)
    {
        MediaTypeHeaderValue.TryParse(file.ContentType, out var media);
        return FeedParser.Parse(new FetchedFeed(new Uri(file.Url), File.ReadAllBytes(Path.Combine(Root, file.Path)), media?.MediaType, media?.CharSet));
    }

    /// <summary>Whitespace as the comparison script reads it: any run of it, non-breaking spaces too, is one space.</summary>
    static string Spaced(string? text) => System.Text.RegularExpressions.Regex.Replace(text ?? "", @"\s+", " ").Trim();

    [Fact]
    public void Every_public_test_feed_is_read_or_fails_with_a_reason_never_a_crash()
    {
        var crashes = new List<string>();
        var read = 0;
        foreach (var file in Files.Values)
        {
            try
            {
                Parse(file);
                read++;
            }
            catch (FeedFetchException ex) when (!ex.Message.StartsWith("could not read the feed (", StringComparison.Ordinal))
            {
            }
            catch (Exception ex)
            {
                crashes.Add($"{file.Path}: {ex.GetType().Name}: {ex.Message}");
            }
        }
        Assert.True(crashes.Count == 0, $"{crashes.Count} files failed without a reason:\n{string.Join('\n', crashes.Take(20))}");
        Assert.True(read >= 2_815, $"only {read} of {Files.Count} files were read"); // 2,821 now; 2,473 before recovery
    }

    [Fact]
    public void Titles_links_and_dates_agree_with_the_reference_parser_on_every_golden_file()
    {
        var golden = File.ReadLines(Repo.TestData("corpus-golden.jsonl")).Select(line => JsonSerializer.Deserialize<Golden>(line, Json)!).ToList();
        var differences = new List<string>();
        foreach (var expected in golden)
        {
            var entries = Parse(Files[expected.Path]).Entries;
            if (entries.Count != expected.Items.Count)
            {
                differences.Add($"{expected.Path}: {entries.Count} items, feedparser {expected.Items.Count}");
                continue;
            }
            foreach (var (entry, item) in entries.Zip(expected.Items))
            {
                var published = entry.Published?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
                if (Spaced(entry.Title) != Spaced(item.Title) || (entry.Link ?? "") != (item.Link ?? "") || published != item.Published)
                    differences.Add($"{expected.Path}: ({entry.Title} | {entry.Link} | {published}) != ({item.Title} | {item.Link} | {item.Published})");
            }
        }
        Assert.True(golden.Count >= 1_500, $"only {golden.Count} golden files");
        Assert.True(differences.Count == 0, $"{differences.Count} differences from feedparser:\n{string.Join('\n', differences.Take(20))}");
    }
}
