using Microsoft.Azure.Functions.Worker;
using Syndication.Sweeps;

namespace Syndication.Functions;

/// <summary>Runs one sweep on the schedule in the app setting <c>PollSchedule</c> (every 5 minutes in the shipped settings).</summary>
public sealed class PollFeeds(Sweeper sweeper)
{
    [Function(nameof(PollFeeds))]
    public Task RunAsync([TimerTrigger("%PollSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.RunAsync(configPath: null, dryRun: false, cancellationToken), cancellationToken);
}
