using System.Threading.Channels;
using Syndication.Config;
using Syndication.Delivery;

namespace Syndication.Sweeps;

/// <summary>
/// Sends the outbox while a sweep is still reading feeds: each feed that queues alerts pokes the pump, which lists the
/// outbox (pokes in between folded into one) and starts draining every channel with waiting alerts that it is not
/// draining already, so an alert leaves seconds after its feed is read, not after the slowest feed, and a channel
/// whose alerts arrive later never waits for another channel's drain to end. A last drain runs when the feeds are done.
/// </summary>
sealed class DeliveryPump
{
    readonly Channel<bool> pokes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    readonly Dictionary<string, DeliveryOutcome> outcomes = new(StringComparer.Ordinal);
    readonly Dictionary<string, Task> draining = new(StringComparer.Ordinal);
    readonly Lock gate = new();
    readonly Dispatcher dispatcher;
    readonly SyndicationConfig config;
    readonly CancellationToken cancellationToken;
    readonly Task loop;

    public DeliveryPump(Dispatcher dispatcher, SyndicationConfig config, CancellationToken cancellationToken)
    {
        this.dispatcher = dispatcher;
        this.config = config;
        this.cancellationToken = cancellationToken;
        loop = Task.Run(async () =>
        {
            await foreach (var _ in pokes.Reader.ReadAllAsync(cancellationToken))
            {
                var waiting = await dispatcher.ListWaitingAsync(dryRun: false, cancellationToken);
                foreach (var channel in waiting.GroupBy(w => w.ChannelId))
                    lock (gate)
                        // A channel being drained re-lists its own alerts between passes; it is not started twice.
                        if (!draining.TryGetValue(channel.Key, out var running) || running.IsCompleted)
                            draining[channel.Key] = DrainAsync(channel.Key, [.. channel]);
            }
        }, cancellationToken);
    }

    async Task DrainAsync(string channelId, IReadOnlyList<WaitingAlert> pending)
    {
        await Task.Yield();
        Merge(await dispatcher.DrainChannelAsync(channelId, pending, config, dryRun: false, cancellationToken));
    }

    /// <summary>
    /// The latest attempt on each alert stands (waiting in one drain, sent in the next, is sent); merely waiting again
    /// does not hide an earlier attempt's failure.
    /// </summary>
    void Merge(IEnumerable<DeliveryOutcome> drained)
    {
        lock (gate)
            foreach (var outcome in drained)
            {
                var key = $"{outcome.ChannelId}\u001f{outcome.EntryName}";
                if (outcome.Status is not (DeliveryStatus.Waiting or DeliveryStatus.Deferred) || !outcomes.ContainsKey(key)) outcomes[key] = outcome;
            }
    }

    public void Poke() => pokes.Writer.TryWrite(true);

    /// <summary>Runs a last drain after the pokes so far, and returns every alert's outcome in this sweep.</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> FinishAsync()
    {
        Poke();
        pokes.Writer.TryComplete();
        await loop;
        var drained = Running();
        await Task.WhenAll(drained);
        // An alert queued for a channel just as its drain ended is picked up here. With no drain, the last poke's listing
        // found nothing, and that stands.
        if (drained.Length > 0) Merge(await dispatcher.DrainAsync(config, dryRun: false, cancellationToken));
        lock (gate) return [.. outcomes.Values];
    }

    Task[] Running()
    {
        lock (gate) return [.. draining.Values];
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
        try
        {
            await Task.WhenAll(Running());
        }
        catch (Exception)
        {
        }
    }
}
