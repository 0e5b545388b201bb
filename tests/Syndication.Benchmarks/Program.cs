using BenchmarkDotNet.Running;
using Syndication.Benchmarks;

// `dotnet run -c Release --project tests/Syndication.Benchmarks -- --filter '*'` runs everything;
// `-- --throughput` prints a quick MB/s figure per core without BenchmarkDotNet.
if (args.Contains("--throughput"))
{
    Throughput.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MatchArticle).Assembly).Run(args);
