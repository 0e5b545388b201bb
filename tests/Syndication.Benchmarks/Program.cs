using BenchmarkDotNet.Running;
using Syndication.Benchmarks;

// `dotnet run -c Release --project tests/Syndication.Benchmarks -- --filter '*'` runs everything;
// `-- --throughput` prints a quick MB/s figure per core without BenchmarkDotNet;
// `-- --seed-people CONNECTION N WORD FEED` stores N subscribers watching WORD in FEED (scripts/bench/people.sh);
// `-- --dump-corpus FOLDER` prints what the feed parser reads from each file of a corpus (scripts/dev/compare-feedparser.py).
if (args is ["--dump-corpus", var corpus])
{
    CorpusDump.Print(corpus);
    return;
}
if (args is ["--seed-people", var connection, var people, var word, var feed])
{
    await SeedPeople.RunAsync(connection, int.Parse(people, System.Globalization.CultureInfo.InvariantCulture), word, feed);
    return;
}
if (args.Contains("--throughput"))
{
    Throughput.Print();
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(MatchArticle).Assembly).Run(args);
