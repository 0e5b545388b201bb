using BenchmarkDotNet.Attributes;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Watches;

namespace Syndication.Benchmarks;

/// <summary>
/// One 3.7 KB article against every subscriber's watches (5 each), as a sweep matches it: the configuration with the watches
/// in it (<see cref="WatchIndex.Into"/>), compiled into the same term index as the rules, then the people's chats among the
/// matches' channels, each once. The cost must follow the article, not the number of people (10 against 10,000 subscribers).
/// Two of the subscribers watch a name in the article, so there are always people to find.
/// </summary>
[MemoryDiagnoser]
public class MatchWatches
{
    RuleMatcher matcher = null!;
    readonly DateTimeOffset now = new(2026, 11, 28, 7, 0, 0, TimeSpan.Zero);

    [Params(10, 10_000)]
    public int Subscribers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = Workload.Config([]);
        var terms = Workload.Terms(Subscribers * 5).Skip(2).ToList(); // the article's own names are given below
        var people = Enumerable.Range(0, Subscribers).Select(p => new Subscriber(p + 1, "en",
            [.. Enumerable.Range(0, 5).Select(w => Watch(p < 2 && w == 0 ? "Kayani" : terms[(p * 5 + w) % terms.Count], config))],
            now)).ToList();
        matcher = new RuleMatcher(new WatchIndex(people).Into(config, now));
        // At least the 2 watching Kayani (among 50,000 random terms, a few prefixes occur in the article too).
        if (Recipients() < 2) throw new InvalidOperationException($"expected the 2 people watching Kayani, found {Recipients()}");
    }

    static Watch Watch(string text, SyndicationConfig config) =>
        WatchText.Parse(text.Contains(' ', StringComparison.Ordinal) ? $"\"{text}\"" : text, config) is WatchParse.Read read ? read.Watch
            : throw new InvalidOperationException($"'{text}' is not a watch");

    [Benchmark]
    public int Recipients() => matcher.Match("bench", Workload.Article).SelectMany(m => m.Channels).Distinct(StringComparer.Ordinal).Count(c => Subscriber.ChatOf(c) is not null);
}
