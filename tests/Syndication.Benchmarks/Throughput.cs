using System.Diagnostics;
using Syndication.Rules;

namespace Syndication.Benchmarks;

/// <summary>A quick, single-threaded figure of article text matched per second, per rule-set size.</summary>
static class Throughput
{
    public static void Print()
    {
        foreach (var terms in new[] { 10, 1_000, 10_000 })
        {
            var config = Workload.Config(Workload.Terms(terms));
            var compile = Stopwatch.StartNew();
            var matcher = new RuleMatcher(config);
            compile.Stop();
            for (var i = 0; i < 200; i++) matcher.Match("bench", Workload.Article);
            var run = Stopwatch.StartNew();
            var articles = 0;
            while (run.Elapsed < TimeSpan.FromSeconds(2)) { matcher.Match("bench", Workload.Article); articles++; }
            var megabytes = articles * (double)Workload.ArticleBytes / 1_000_000;
            Console.WriteLine($"{terms,6} terms: compile {compile.Elapsed.TotalMilliseconds,7:F1} ms, {megabytes / run.Elapsed.TotalSeconds,7:F1} MB/s of article text on one core");
        }
    }
}
