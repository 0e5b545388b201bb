using BenchmarkDotNet.Attributes;
using Syndication.Config;
using Syndication.Rules;

namespace Syndication.Benchmarks;

/// <summary>Matching one article against every rule: the compiled term index against one regex per term.</summary>
[MemoryDiagnoser]
public class MatchArticle
{
    RuleMatcher compiled = null!;
    NaiveMatcher naive = null!;

    [Params(10, 1_000, 10_000)]
    public int Terms { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var config = Workload.Config(Workload.Terms(Terms));
        compiled = new RuleMatcher(config);
        naive = new NaiveMatcher(config);
        // Both must agree on what matches, or the comparison means nothing.
        var a = compiled.Match("bench", Workload.Article).Select(m => m.RuleId).Order();
        var b = naive.Match(Workload.Article).Order();
        if (!a.SequenceEqual(b)) throw new InvalidOperationException($"matchers disagree: [{string.Join(",", a)}] vs [{string.Join(",", b)}]");
    }

    [Benchmark(Baseline = true)]
    public int RegexPerTerm() => naive.Match(Workload.Article).Count;

    [Benchmark]
    public int CompiledIndex() => compiled.Match("bench", Workload.Article).Count;
}

/// <summary>Building the matcher for a configuration, which happens once per sweep.</summary>
[MemoryDiagnoser]
public class CompileRules
{
    SyndicationConfig config = null!;

    [Params(10_000)]
    public int Terms { get; set; }

    [GlobalSetup]
    public void Setup() => config = Workload.Config(Workload.Terms(Terms));

    [Benchmark]
    public int Compile() => new RuleMatcher(config).TermCount;
}
