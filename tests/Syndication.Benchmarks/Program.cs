using BenchmarkDotNet.Running;
using Syndication.Benchmarks;

// `dotnet run -c Release --project tests/Syndication.Benchmarks -- --filter '*'` runs everything;
// `-- --throughput` prints a quick MB/s figure per core without BenchmarkDotNet;
// `-- --dump-corpus FOLDER` prints what the feed parser reads from each file of a corpus (scripts/dev/compare-feedparser.py).
if (args is ["--dump-corpus", var corpus])
{
    CorpusDump.Print(corpus);
    return;
}
if (args.Contains("--throughput"))
{
    Throughput.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MatchArticle).Assembly).Run(args);
