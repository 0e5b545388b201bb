using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Syndication.Feeds;
using Syndication.Settings;

namespace Syndication.Editing;

/// <summary>What an import did: the plan as checked, and the change made (null for a dry run).</summary>
public sealed record ImportResult(ImportPlan Plan, ChangeOutcome? Outcome);

/// <summary>
/// Carries out an OPML import: reads the file (<see cref="Opml.Read"/>) and the live configuration, plans
/// (<see cref="OpmlImport.Plan"/>), reads each new feed as <c>/addfeed</c> does (whether its address is in a private
/// network; read once, an HTML page's advertised feed followed, 8 at a time within the commands' read limit), leaves
/// what to keep to <see cref="OpmlImport.Checked"/>, and makes the whole import one change of the live configuration:
/// validated, written If-Match, recorded, undone by <c>/undo</c>.
/// </summary>
public sealed class OpmlImporter(LiveConfig live, FeedFetcher fetcher, IOptions<SyndicationOptions> options)
{
    /// <param name="keepUnreachable">Add feeds that could not be read now too (never one in a private network).</param>
    /// <exception cref="OpmlException">The file is not an OPML file this bot reads.</exception>
    public async Task<ImportResult> ImportAsync(byte[] file, string? category, bool dryRun, bool keepUnreachable, long? user, string by, string command,
        CancellationToken cancellationToken)
    {
        var document = Opml.Read(file);
        if (await live.ReadAsync(cancellationToken) is not { } current)
            return new ImportResult(new ImportPlan([], [], []), new ChangeOutcome.Refused("There is no live configuration yet; an operator publishes one with `syndication config push FILE`."));
        var plan = OpmlImport.Plan(current.Config, document, category);

        var checks = new ConcurrentDictionary<string, FeedCheck>(StringComparer.Ordinal);
        var limit = fetcher.CommandReadLimit;
        await Parallel.ForEachAsync(plan.Added, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (feed, ct) =>
        {
            if (await PrivateNetworks.PublicOrNullAsync(feed.Url.ToString(), options.Value.AllowPrivateNetworks, ct) is null)
            {
                checks[feed.Id] = new FeedCheck.Private();
                return;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(limit);
            try
            {
                checks[feed.Id] = new FeedCheck.Read((await fetcher.ReadFeedAsync(feed.Url, timeout.Token)).Address);
            }
            catch (Exception ex) when (ex is FeedFetchException || ex is OperationCanceledException && timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                checks[feed.Id] = new FeedCheck.Unreachable(ex is FeedFetchException ? ex.Message : $"no answer within {limit.TotalSeconds:0} s");
            }
        });

        plan = OpmlImport.Checked(plan, checks, keepUnreachable);
        if (dryRun || plan.Added.Count == 0) return new ImportResult(plan, null);
        return new ImportResult(plan, await live.ChangeAsync(user, by, command, (root, _) => OpmlImport.Apply(root, plan), cancellationToken));
    }
}
