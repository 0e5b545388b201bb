using Microsoft.Azure.Functions.Worker;
using Syndication.Sweeps;

namespace Syndication.Functions;

/// <summary>
/// On the schedule in <c>DeliverSchedule</c> (every minute in the shipped settings), wakes every channel with alerts
/// waiting, so alerts held back by an outage or by flood control go out without waiting for the next sweep.
/// </summary>
public sealed class DeliverPending(Sweeper sweeper)
{
    [Function(nameof(DeliverPending))]
    public Task RunAsync([TimerTrigger("%DeliverSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        HostCancellation.RunAsync(() => sweeper.WakeWaitingChannelsAsync(cancellationToken), cancellationToken);
}
