using BenchmarkDotNet.Attributes;
using Syndication.Articles;

namespace Syndication.Benchmarks;

/// <summary>
/// What counting outlets adds per new article, on the CPU: one 3.7 KB article sorted into a story log of 100 to 10,000
/// stories (the bound), as a feed read's new articles are. The article is a new story, so every kept story is compared
/// with it; it is taken out again after each run, so the log stays the same size. Its fingerprint is taken once, as the
/// channels' claims share it.
/// </summary>
[MemoryDiagnoser]
public class SortIntoStoryLog
{
    readonly DateTimeOffset now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);
    readonly List<LoggedStory> log = [];
    Article article = null!;

    [Params(100, 2_000, 10_000)]
    public int Stories { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var terms = Workload.Terms(4_000);
        var random = new Random(30);
        string Words(int count) => string.Join(' ', Enumerable.Range(0, count).Select(_ => terms[random.Next(terms.Count)]));
        var kept = Enumerable.Range(0, Stories).Select(i =>
            new Article($"feed-{i % 300}", $"k{i}", Words(10), $"https://site{i % 300}.example/{i}", now.AddMinutes(-i % 600), null, [], "", Words(60), now, []));
        StoryOutlets.Sort(log, [.. kept], now, TimeSpan.FromHours(12));
        var entry = Workload.Article;
        article = new Article("bench", entry.Key, entry.Title, entry.Link, now, null, [], entry.Summary, entry.Text, now, []);
        if (log.Count < Stories * 0.99) throw new InvalidOperationException($"expected about {Stories} distinct stories, made {log.Count}");
        var before = log.Count;
        if (StoryOutlets.Sort(log, [article], now, TimeSpan.FromHours(12)).Places[article.BlobName].Count != 1 || log.Count != before + 1)
            throw new InvalidOperationException("the article must be a story of its own, compared with every kept one");
        log.RemoveAt(log.Count - 1);
    }

    [Benchmark]
    public int Sort()
    {
        var (places, _) = StoryOutlets.Sort(log, [article], now, TimeSpan.FromHours(12));
        log.RemoveAt(log.Count - 1);
        return places.Count;
    }
}
