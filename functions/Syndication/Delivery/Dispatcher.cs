using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Delivery;

/// <summary>
/// Drains the outbox: every pending alert, oldest story first in each channel, channels side by side, paced by
/// <see cref="FloodControl"/>. A channel is drained by one run at a time (a lease per channel), so a sweep and the
/// <c>DeliverPending</c> timer never send the same alert, and neither waits for the other's channels. A channel's alerts go
/// out in order, so a channel stops at its first alert that must wait. A failure never stops other channels, and no alert
/// is dropped: it is sent, kept for a later run, or dead-lettered with its reason.
/// </summary>
public sealed partial class Dispatcher(
    Outbox outbox, TelegramNotifier telegram, FloodControl flood, DeliveryMetrics metrics, Failpoints failpoints, BlobLeases leases,
    IOptions<DeliveryOptions> options, TimeProvider time, ILogger<Dispatcher> logger)
{
    /// <summary>How often one run re-reads a channel it holds, to send what was queued while it was sending.</summary>
    const int MaxPasses = 5;

    /// <summary>People's chats drained at once by one wake-up for them all.</summary>
    const int PeopleAtOnce = 16;

    // Channels drained at once by this dispatcher, whoever asks: a whole drain, or the sweep's pump channel by channel.
    SemaphoreSlim? slots;

    /// <summary>Sends every channel's waiting alerts, channels side by side.</summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> DrainAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        // The editors' channels first, then people's chats: a story for thousands of people never holds the channels up.
        var channels = (await ListWaitingAsync(cancellationToken, config)).GroupBy(p => p.ChannelId)
            .OrderBy(g => Watches.Subscriber.ChatOf(g.Key) is not null).ThenBy(g => g.Key, StringComparer.Ordinal);
        var results = await Task.WhenAll(channels.Select(c => DrainLiveChannelAsync(c.Key, [.. c], config, cancellationToken)));
        return [.. results.SelectMany(r => r ?? [])];
    }

    /// <summary>
    /// A rehearsal of <see cref="DrainAsync"/>: what each channel would do with what waits now and with
    /// <paramref name="planned"/> (a dry run's alerts, which exist nowhere in storage). It reads, and writes nothing.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> RehearseAsync(SyndicationConfig config, IReadOnlyList<OutboxEntry> planned, CancellationToken cancellationToken)
    {
        var pending = (await outbox.ListWaitingAsync(cancellationToken)).ToList();
        var listed = pending.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        pending.AddRange(planned.Where(p => !listed.Contains(p.Name)).Select(p => WaitingAlert.Of(p) with { Planned = p }));
        var outcomes = new List<DeliveryOutcome>();
        foreach (var channel in pending.GroupBy(p => p.ChannelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var definition = config.FindChannel(channel.Key);
            foreach (var waiting in ChannelDrain.Order(channel))
            {
                var name = waiting.Name;
                if (ChannelDrain.BeforeRead(DrainState.Start, definition, waiting, time.GetUtcNow()) is DrainStep.NotYet notYet)
                {
                    outcomes.Add(new DeliveryOutcome(channel.Key, definition?.Chat ?? "", name[(channel.Key.Length + 1)..], DeliveryStatus.Collected, "", notYet.Reason) { EntryName = name });
                    continue;
                }
                if ((waiting.Planned is { } p ? (p, ETag.All) : await outbox.GetPendingAsync(name, cancellationToken)) is not var (entry, etag)) continue;
                // A planned alert exists nowhere yet, so there is no delivery to look for.
                var delivered = etag != ETag.All && await outbox.IsDeliveredAsync(name, cancellationToken);
                outcomes.Add(new DeliveryOutcome(entry.ChannelId, definition?.Chat ?? entry.Chat, entry.ArticleBlob, delivered ? DeliveryStatus.AlreadySent : DeliveryStatus.DryRun, entry.Html, null) { EntryName = name });
            }
        }
        return outcomes;
    }

    /// <summary>
    /// What waits in the outbox, from one listing: which alerts, in which order, since when. An alert is read only when it
    /// is about to go.
    /// </summary>
    /// <remarks>
    /// With <paramref name="config"/>, alerts that wait by their channel's choice (held quiet hours, a digest not yet due)
    /// are not counted in how long the oldest alert has waited: a night's hold must not page an operator.
    /// </remarks>
    public async Task<IReadOnlyList<WaitingAlert>> ListWaitingAsync(CancellationToken cancellationToken, SyndicationConfig? config = null)
    {
        var pending = await outbox.ListWaitingAsync(cancellationToken);
        var now = time.GetUtcNow();
        metrics.RecordOutbox([.. pending.Where(p => !p.WaitsAt(now) && config?.WaitsByChoice(p.ChannelId, p.Queued, p.ForDigest, now) != true)], now);
        return pending;
    }

    /// <summary>
    /// Sends what one channel has waiting, as a delivery queue message asks. Null when another run holds the channel: that
    /// run re-reads the channel between passes, and the caller may look again shortly.
    /// </summary>
    /// <remarks>
    /// <see cref="Watches.Subscriber.People"/> drains every person's chat with alerts waiting, side by side as a whole drain
    /// does; one that another run holds is left to that run.
    /// </remarks>
    public async Task<IReadOnlyList<DeliveryOutcome>?> DeliverChannelAsync(string channelId, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListWaitingAsync(cancellationToken, channelId);
        if (channelId != Watches.Subscriber.People)
            return pending.Count == 0 ? [] : await DrainLiveChannelAsync(channelId, pending, config, cancellationToken);
        // Sixteen people's chats at a time: enough to keep the bot-wide rate busy, few enough that their leases and reads
        // leave storage to the sweep still reading feeds.
        var outcomes = new System.Collections.Concurrent.ConcurrentQueue<DeliveryOutcome>();
        await Parallel.ForEachAsync(pending.GroupBy(p => p.ChannelId), new ParallelOptions { MaxDegreeOfParallelism = PeopleAtOnce, CancellationToken = cancellationToken },
            async (person, ct) =>
            {
                foreach (var outcome in await DrainLiveChannelAsync(person.Key, [.. person], config, ct) ?? []) outcomes.Enqueue(outcome);
            });
        return [.. outcomes];
    }

    async Task<IReadOnlyList<DeliveryOutcome>?> DrainLiveChannelAsync(string channelId, IReadOnlyList<WaitingAlert> pending, SyndicationConfig config,
        CancellationToken cancellationToken)
    {
        // A refused token stops the run before any alert is touched, instead of failing each alert for a day.
        await telegram.VerifyTokenAsync(cancellationToken);
        var gate = LazyInitializer.EnsureInitialized(ref slots, () => new SemaphoreSlim(options.Value.MaxConcurrentChannels));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (await DrainHeldChannelAsync(channelId, [.. pending], config, cancellationToken) is not { } outcomes) return null;
            int Count(DeliveryStatus status) => outcomes.Count(o => o.Status == status);
            if (outcomes.Count > 0)
                LogChannel(channelId, Count(DeliveryStatus.Sent), Count(DeliveryStatus.Retrying), Count(DeliveryStatus.Deferred), Count(DeliveryStatus.Rejected), Count(DeliveryStatus.DeadLettered));
            return outcomes;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Drains a channel under its lease; a channel another run is draining is left to that run.</summary>
    async Task<List<DeliveryOutcome>?> DrainHeldChannelAsync(string channelId, List<WaitingAlert> pending, SyndicationConfig config, CancellationToken cancellationToken)
    {
        await using var lease = await leases.TryAcquireAsync(BlobLeases.Channel(channelId), cancellationToken);
        if (lease is null)
        {
            LogChannelBusy(channelId);
            return null;
        }
        using var held = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
        var chat = options.Value.Pace ? config.FindChannel(channelId)?.Chat : null;
        var note = chat is null ? null : await TakeOverPacingAsync(lease, channelId, chat, held.Token);
        var outcomes = new List<DeliveryOutcome>();
        var done = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            for (var pass = 0; pass < MaxPasses && pending.Count > 0; pass++)
            {
                var drained = await DrainPassAsync(channelId, pending, config, lease, held.Token);
                outcomes.AddRange(drained);
                done.UnionWith(drained.Select(o => o.EntryName));
                // Anything that had to wait stops the channel for this run; otherwise pick up what was queued meanwhile.
                if (lease.IsLost || drained.Count < pending.Count || drained.Any(o => o.Status is not (DeliveryStatus.Sent or DeliveryStatus.AlreadySent))) break;
                pending = [.. (await outbox.ListWaitingAsync(held.Token, channelId)).Where(p => !done.Contains(p.Name))];
            }
        }
        finally
        {
            if (chat is not null) await HandOverPacingAsync(lease, channelId, chat, note);
        }
        return outcomes;
    }

    DeliveryOutcome Record(DeliveryOutcome outcome)
    {
        metrics.Record(outcome.Status, outcome.ChannelId);
        return outcome;
    }

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId}: Telegram could not use the picture of {ArticleBlob} ({Picture}); sent as text instead: {Reason}")]
    partial void LogPictureRefused(string channelId, string articleBlob, string picture, string reason);

    [LoggerMessage(LogLevel.Information, "Sent {ArticleBlob} to channel {ChannelId} ({Chat}) as message {MessageId} after {Attempts} attempt(s)")]
    partial void LogSent(string channelId, string chat, string articleBlob, int messageId, int attempts);

    [LoggerMessage(LogLevel.Information, "Edited message {MessageId} in channel {ChannelId} ({Chat}) to the new version of {ArticleBlob}")]
    partial void LogEdited(string channelId, string chat, int messageId, string articleBlob);

    [LoggerMessage(LogLevel.Information, "Channel {ChannelId}: Telegram asked to wait {Seconds} s; waiting")]
    partial void LogWaiting(string channelId, int seconds);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId} ({Chat}): Telegram flood control; alerts wait until {Until} (short waits slept through this run: {ShortWaits})")]
    partial void LogDeferred(string channelId, string chat, DateTimeOffset until, int shortWaits);

    [LoggerMessage(LogLevel.Debug, "Channel {ChannelId}: the note of its chat's last sends on its lease could not be read or left ({Reason}); pacing goes by this instance's own sends")]
    partial void LogPacingNote(string channelId, string reason);

    [LoggerMessage(LogLevel.Debug, "Channel {ChannelId}: another run is sending to it; that run sends its alerts")]
    partial void LogChannelBusy(string channelId);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId} ({Chat}): sent {ArticleBlob} but the answer was lost ({Reason}); Telegram may have delivered it, so the retry may show it twice")]
    partial void LogUncertain(string channelId, string chat, string articleBlob, string reason);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId}: the group {Chat} became supergroup {NewChat}; sending there. Update the channel's chat in the configuration to \"{NewChat}\"")]
    partial void LogMigrated(string channelId, string chat, string newChat);

    [LoggerMessage(LogLevel.Error, "Channel {ChannelId} ({Chat}) refused {ArticleBlob} for good, moved to dead letters: {Reason}")]
    partial void LogRejected(string channelId, string chat, string articleBlob, string reason);

    [LoggerMessage(LogLevel.Error, "Channel {ChannelId} ({Chat}): gave up on {ArticleBlob}, moved to dead letters: {Reason}")]
    partial void LogDeadLettered(string channelId, string chat, string articleBlob, string reason);

    [LoggerMessage(LogLevel.Warning, "Could not send {ArticleBlob} to channel {ChannelId} ({Chat}), attempt {Attempts}; it stays pending and is retried with backoff: {Reason}")]
    partial void LogFailed(string channelId, string chat, string articleBlob, int attempts, string reason);

    [LoggerMessage(LogLevel.Information, "Channel {ChannelId}: {Sent} sent, {Retrying} retrying, {Deferred} deferred by flood control, {Rejected} failed permanently, {DeadLettered} dead-lettered")]
    partial void LogChannel(string channelId, int sent, int retrying, int deferred, int rejected, int deadLettered);
}
