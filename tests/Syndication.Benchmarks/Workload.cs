using Syndication.Config;
using Syndication.Feeds;

namespace Syndication.Benchmarks;

/// <summary>
/// Real-size input: the Pakistan Today article (about 3.7 KB of text), and rule sets of 10, 1,000 and 10,000 terms in
/// rules of ten. Most terms are words that do not occur, as in a real newsroom's watch list, with a few phrases and
/// prefixes; the article's own names (Kayani, Haqqani network) are among them so that rules do match.
/// </summary>
static class Workload
{
    public static FeedEntry Article { get; } = LoadArticle();

    /// <summary>The UTF-8 size of the fields a default rule reads: title, summary and text.</summary>
    public static long ArticleBytes { get; } = System.Text.Encoding.UTF8.GetByteCount(Article.Title + Article.Summary + Article.Text);

    static FeedEntry LoadArticle()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "testdata", "pakistan-today-kayani.txt"))
            .Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        var text = string.Join('\n', lines.Skip(2).SkipLast(1));
        return new FeedEntry("bench", lines[1], "https://www.pakistantoday.com.pk/kayani", DateTimeOffset.UnixEpoch, "News Desk", ["National"], lines[2], text);
    }

    public static IReadOnlyList<string> Terms(int count)
    {
        var random = new Random(count);
        var terms = new List<string>(count) { "Kayani", "Haqqani network" };
        while (terms.Count < count)
        {
            var kind = random.Next(20);
            terms.Add(kind switch
            {
                0 or 1 => Word(random) + " " + Word(random),     // 10% phrases
                2 => Word(random)[..4] + "*",                     // 5% prefixes
                _ => Word(random),
            });
        }
        return terms;
    }

    public static SyndicationConfig Config(IReadOnlyList<string> terms) => new(
        [new FeedDefinition("bench", new Uri("https://bench.example/feed"), 0, null)],
        [new ChannelDefinition("desk", "@desk")],
        terms.Chunk(10).Select((chunk, i) => new RuleDefinition($"rule-{i}", ["desk"], null, chunk, [], [])).ToList());

    static string Word(Random random)
    {
        const string letters = "abcdefghijklmnopqrstuvwxyz";
        var length = random.Next(4, 11);
        return string.Create(length, random, (span, r) => { for (var i = 0; i < span.Length; i++) span[i] = letters[r.Next(letters.Length)]; });
    }
}
