using System.Threading.Channels;
using Syndication.Config;
using Syndication.Delivery;

namespace Syndication.Sweeps;

/// <summary>
/// Sends the outbox while a sweep is still reading feeds: each feed that queues alerts pokes the pump, which drains
/// (one drain at a time, pokes in between folded into one), so an alert leaves seconds after its feed is read, not after
/// the slowest feed. A last drain runs when the feeds are done.
/// </summary>
sealed class DeliveryPump
{
    readonly Channel<bool> pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Dictionary<string, DeliveryOutcome> outcomes = new(StringComparer.Ordinal);
    readonly Task loop;

    public DeliveryPump(Dispatcher dispatcher, SyndicationConfig config, CancellationToken cancellationToken)
    {
        loop = Task.Run(async () =>
        {
            await foreach (var _ in pokes.Reader.ReadAllAsync(cancellationToken))
                // The latest attempt on each alert stands (waiting in one drain, sent in the next, is sent); merely waiting
                // again does not hide an earlier attempt's failure.
                foreach (var outcome in await dispatcher.DrainAsync(config, dryRun: false, cancellationToken))
                {
                    var key = $"{outcome.ChannelId}\u001f{outcome.EntryName}";
                    if (outcome.Status is not (DeliveryStatus.Waiting or DeliveryStatus.Deferred) || !outcomes.ContainsKey(key)) outcomes[key] = outcome;
                }
        }, cancellationToken);
    }

    public void Poke() => pokes.Writer.TryWrite(true);

    /// <summary>Runs a last drain after the pokes so far, and returns every alert's outcome in this sweep.</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> FinishAsync()
    {
        Poke();
        pokes.Writer.TryComplete();
        await loop;
        return [.. outcomes.Values];
    }

    /// <summary>
    /// The sweep failed or was cancelled: no more drains, but the one under way finishes its sends (they are never cut off
    /// mid-way). Its own failure is not reported here: the sweep's is the one that counts, and the next run drains again.
    /// </summary>
    public async Task AbandonAsync()
    {
        pokes.Writer.TryComplete();
        try
        {
            await loop;
        }
        catch (Exception)
        {
        }
    }
}
