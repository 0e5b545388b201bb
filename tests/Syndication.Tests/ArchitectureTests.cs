using Syndication.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Syndication.Tests;

/// <summary>
/// The library's folders, as the built assembly shows them (every type each type names, in signatures and bodies): they
/// form layers, each using only layers above it, so a decision can be found and changed without reading what comes after.
/// No I/O but reading the assembly.
/// </summary>
public sealed class ArchitectureTests(ITestOutputHelper output)
{
    static readonly Lazy<FolderGraph> Graph = new(() => FolderGraph.Of(typeof(Syndication.Config.SyndicationConfig).Assembly.Location, "Syndication"));

    /// <summary>Upstream first: what each folder may use is everything before it. The README's architecture section draws this.</summary>
    public static readonly string[] Layers =
    [
        "Primitives", // one definition of small things: hashes, http(s) addresses, backoff, an error's first line
        "Settings",  // the app's settings (Syndication__*)
        "Syntax",    // the languages editors write: terms, text folding, message templates, Telegram's HTML rules
        "Storage",   // blobs and queues: containers, JSON, leases, quarantine, failpoints
        "Config",    // the configuration: parsed, validated, published, its history
        "Feeds",     // fetching and parsing feeds, their state and the items seen
        "Rules",     // matching articles against rules
        "Watches",   // subscribers' own keyword watches: a watch is a rule whose channel is a private chat
        "Articles",  // articles: stored, full text, same-story fingerprints, links
        "Summaries", // a few sentences of an article
        "Telegram",  // messages: formatting, sending, the editors' bot
        "Delivery",  // the outbox, channel drains, pacing, digests, quiet hours
        "Sweeps",    // feed batches, scheduling, queues, status
        "Previews",  // what a rule would match, before it goes live
        "Editing",   // editors' commands from Telegram
        "Pages",     // the editors' page, a Telegram Mini App
        "Hosting",   // wiring: dependency injection, logging, settings checks
    ];

    [Fact]
    public void Folders_use_only_the_folders_upstream_of_them_and_form_no_cycle()
    {
        var graph = Graph.Value;
        output.WriteLine($"{graph.Edges.Count} folders, {graph.EdgeCount} edges, {graph.MutualPairs.Count()} mutual pairs, {graph.Cycles().Count} cycles");
        foreach (var (from, tos) in graph.Edges.OrderBy(e => Array.IndexOf(Layers, e.Key)))
            output.WriteLine($"{from} → {string.Join(", ", tos.OrderBy(t => Array.IndexOf(Layers, t)))}");

        Assert.Empty(graph.Edges.Keys.Except(Layers)); // a new folder takes its place in the layers
        var upward = graph.Edges.SelectMany(e => e.Value.Where(to => Array.IndexOf(Layers, to) >= Array.IndexOf(Layers, e.Key))
            .Select(to => $"{e.Key} → {to} ({graph.Why[(e.Key, to)]})")).ToList();
        Assert.True(upward.Count == 0, "folders that use a folder downstream of them: " + string.Join("; ", upward));
        Assert.Empty(graph.Cycles());
    }

    /// <summary>What a reader sees first: no file's using lines name a folder downstream of its own, even one it no longer uses.</summary>
    [Fact]
    public void No_file_imports_a_folder_downstream_of_its_own()
    {
        var library = Path.Combine(Repo.Root, "functions", "Syndication");
        var downstream = (
            from file in Directory.GetFiles(library, "*.cs", SearchOption.AllDirectories)
            let folder = Path.GetRelativePath(library, file).Split(Path.DirectorySeparatorChar)[0]
            where Array.IndexOf(Layers, folder) >= 0
            from line in File.ReadLines(file)
            where line.StartsWith("using Syndication.", StringComparison.Ordinal)
            let used = line["using Syndication.".Length..].TrimEnd(';')
            where Array.IndexOf(Layers, used) >= Array.IndexOf(Layers, folder)
            select $"{Path.GetRelativePath(library, file)}: {line}").ToList();

        Assert.True(downstream.Count == 0, string.Join("\n", downstream));
    }

    [Fact]
    public void The_readme_draws_the_layers_as_they_are()
    {
        var readme = File.ReadAllText(Path.Combine(Repo.Root, "README.md"));
        Assert.Contains(string.Join(" → ", Layers), readme);
    }
}
