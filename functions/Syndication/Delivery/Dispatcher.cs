using Azure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Config;
using Syndication.Primitives;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Delivery;

public enum DeliveryStatus
{
    /// <summary>Telegram accepted it.</summary>
    Sent,
    /// <summary>A transient failure; it stays in the outbox and is retried with backoff.</summary>
    Retrying,
    /// <summary>Held back by flood control (429), or waiting behind an alert of its channel that was; sent by a later run.</summary>
    Deferred,
    /// <summary>Waiting for its retry time after a transient failure, or behind an alert of its channel that is; sent by a later run.</summary>
    Waiting,
    /// <summary>Held for its channel's quiet hours (<c>hold</c>); sent by the first run after they end.</summary>
    Held,
    /// <summary>Collected for its channel's next digest; sent in it by the first run after the digest's time.</summary>
    Collected,
    /// <summary>Refused for good (chat gone, message rejected); moved to the dead-letter container with Telegram's reason.</summary>
    Rejected,
    /// <summary>Retried for the whole retry period without success; moved to the dead-letter container.</summary>
    DeadLettered,
    /// <summary>A dry run: it would have been sent.</summary>
    DryRun,
    /// <summary>An earlier run sent it and stopped before clearing the outbox.</summary>
    AlreadySent,
}

public sealed record DeliveryOutcome(string ChannelId, string Chat, string ArticleBlob, DeliveryStatus Status, string Html, string? Error)
{
    public bool NetworkFailure { get; init; }

    /// <summary>The chat itself cannot receive alerts (not found, bot removed or without rights), not just this message.</summary>
    public bool ChatUnusable { get; init; }

    /// <summary>The outbox entry's name: an article's alert and its edits are different entries.</summary>
    public string EntryName { get; init; } = "";

    /// <summary>The request left, but no answer came back: Telegram may have delivered it, and the retry may show it twice.</summary>
    public bool Uncertain { get; init; }
}

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

    // Channels drained at once by this dispatcher, whoever asks: a whole drain, or the sweep's pump channel by channel.
    SemaphoreSlim? slots;

    /// <param name="planned">A dry run's alerts that a real run would have queued; they are shown beside what is pending.</param>
    public async Task<IReadOnlyList<DeliveryOutcome>> DrainAsync(SyndicationConfig config, bool dryRun, CancellationToken cancellationToken,
        IReadOnlyList<OutboxEntry>? planned = null)
    {
        var pending = (await ListWaitingAsync(dryRun, cancellationToken, config)).ToList();
        if (planned is not null)
        {
            var listed = pending.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            pending.AddRange(planned.Where(p => !listed.Contains(p.Name)).Select(p => WaitingAlert.Of(p) with { Planned = p }));
        }
        var channels = pending.GroupBy(p => p.ChannelId).OrderBy(g => g.Key, StringComparer.Ordinal);
        var results = await Task.WhenAll(channels.Select(c => DrainChannelAsync(c.Key, [.. c], config, dryRun, cancellationToken)));
        return [.. results.SelectMany(r => r)];
    }

    /// <summary>
    /// What waits in the outbox, from one listing: which alerts, in which order, since when. An alert is read only when it
    /// is about to go.
    /// </summary>
    /// <remarks>
    /// With <paramref name="config"/>, alerts that wait by their channel's choice (held quiet hours, a digest not yet due)
    /// are not counted in how long the oldest alert has waited: a night's hold must not page an operator.
    /// </remarks>
    public async Task<IReadOnlyList<WaitingAlert>> ListWaitingAsync(bool dryRun, CancellationToken cancellationToken, SyndicationConfig? config = null)
    {
        var pending = await outbox.ListWaitingAsync(cancellationToken);
        var now = time.GetUtcNow();
        if (!dryRun) metrics.RecordOutbox(config is null ? pending : [.. pending.Where(p => !config.WaitsByChoice(p.ChannelId, p.Queued, p.ForDigest, now))], now);
        return pending;
    }

    /// <summary>
    /// Sends one channel's waiting alerts, oldest story first, under the channel's lease (a dry run only renders them).
    /// At most <see cref="DeliveryOptions.MaxConcurrentChannels"/> channels go at once; a channel waiting out its own
    /// pacing holds its place but no thread.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryOutcome>> DrainChannelAsync(string channelId, IReadOnlyList<WaitingAlert> pending, SyndicationConfig config, bool dryRun,
        CancellationToken cancellationToken)
    {
        if (pending.Count == 0) return [];
        if (dryRun) return await DrainChannelAsync(channelId, [.. pending], config, dryRun: true, lease: null, cancellationToken);
        return await DrainLiveChannelAsync(channelId, pending, config, cancellationToken) ?? [];
    }

    /// <summary>
    /// Sends what one channel has waiting, as a delivery queue message asks. Null when another run holds the channel: that
    /// run re-reads the channel between passes, and the caller may look again shortly.
    /// </summary>
    public async Task<IReadOnlyList<DeliveryOutcome>?> DeliverChannelAsync(string channelId, SyndicationConfig config, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListWaitingAsync(cancellationToken, channelId);
        return pending.Count == 0 ? [] : await DrainLiveChannelAsync(channelId, pending, config, cancellationToken);
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
                var drained = await DrainChannelAsync(channelId, pending, config, dryRun: false, lease, held.Token);
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

    /// <summary>The lease's note of the chat's last sends, as the metadata of the channel's lock blob: unix milliseconds.</summary>
    const string PacingNote = "sent";

    /// <summary>Paces after the chat's last sends, which another instance may have made under this lease before; returns the note read.</summary>
    async Task<string?> TakeOverPacingAsync(HeldLease lease, string channelId, string chat, CancellationToken cancellationToken)
    {
        try
        {
            var note = await lease.ReadNoteAsync(PacingNote, cancellationToken);
            var sends = (note ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
                .Select(t => long.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null)
                .OfType<DateTimeOffset>();
            flood.Remember(chat, sends);
            return note;
        }
        catch (RequestFailedException ex)
        {
            LogPacingNote(channelId, ex.FirstLine());
            return null;
        }
    }

    /// <summary>
    /// Leaves the chat's last sends with the lease, so whichever instance drains the channel next paces after them; no
    /// write when they are the ones it read (a drain that sent nothing).
    /// </summary>
    async Task HandOverPacingAsync(HeldLease lease, string channelId, string chat, string? read)
    {
        var recent = flood.Recent(chat);
        var note = string.Join(',', recent.Select(t => t.ToUnixTimeMilliseconds()));
        if (recent.Count == 0 || note == read) return;
        try
        {
            await lease.WriteNoteAsync(PacingNote, note, CancellationToken.None);
        }
        catch (RequestFailedException ex)
        {
            LogPacingNote(channelId, ex.FirstLine());
        }
    }

    async Task<List<DeliveryOutcome>> DrainChannelAsync(string channelId, List<WaitingAlert> pending, SyndicationConfig config, bool dryRun,
        HeldLease? lease, CancellationToken cancellationToken)
    {
        // The chat comes from the current config when the channel is still there, so a corrected chat takes effect.
        var definition = config.FindChannel(channelId);
        var chat = definition?.Chat;
        var outcomes = new List<DeliveryOutcome>();
        var ordered = pending.OrderBy(p => p.Order).ThenBy(p => p.Queued).ToList();
        string? stop = null; // why the rest of this channel waits, once one alert had to
        var stopStatus = DeliveryStatus.Waiting; // Deferred when that is flood control
        var chatUnusable = false;
        var left = ordered.Count + 1;
        var collected = new List<(OutboxEntry Entry, ETag ETag)>(); // alerts for the channel's digest

        foreach (var waiting in ordered)
        {
            left--; // alerts still to go in this drain, this one included: the more, the sooner its bot-wide turn
            // Behind an alert that has to wait, the rest of the channel waits too, unread.
            if (stop is not null && !chatUnusable)
            {
                outcomes.Add(Record(new DeliveryOutcome(channelId, chat ?? "", waiting.Name[(channelId.Length + 1)..], stopStatus, "", stop) { EntryName = waiting.Name }));
                continue;
            }
            // An alert for the channel's digest is not even read before the digest's time (the listing says which are).
            if (definition?.Digest is { } digest && waiting.ForDigest && digest.NextAfter(waiting.Queued, definition.TimeZone) is var digestAt && digestAt > time.GetUtcNow())
            {
                outcomes.Add(Record(new DeliveryOutcome(channelId, chat ?? "", waiting.Name[(channelId.Length + 1)..], DeliveryStatus.Collected, "",
                    $"for the digest at {MessageFormatter.FormatDate(digestAt, definition.TimeZone)}") { EntryName = waiting.Name }));
                continue;
            }
            // Read now, just before it may go; one deleted meanwhile was delivered by another run.
            var read = waiting.Planned is { } planned ? (planned, ETag.All) : await outbox.GetPendingAsync(waiting.Name, cancellationToken);
            if (read is not var (original, etag)) continue;
            var entry = original with { Chat = chat ?? original.Chat };
            DeliveryOutcome Outcome(DeliveryStatus status, string? error = null) =>
                new(entry.ChannelId, entry.Chat, entry.ArticleBlob, status, entry.Html, error) { EntryName = entry.Name };

            // A dry run's planned alerts carry ETag.All: they exist nowhere yet, so there is no delivery to look for.
            if (etag != ETag.All && await outbox.IsDeliveredAsync(entry.Name, cancellationToken))
            {
                if (!dryRun) await outbox.RemoveAsync(entry.Name, cancellationToken);
                outcomes.Add(Outcome(DeliveryStatus.AlreadySent));
                continue;
            }
            if (dryRun) { outcomes.Add(Outcome(DeliveryStatus.DryRun)); continue; }
            // Sent by an earlier run whose delivery record failed: recorded now, never sent again.
            if (original.SentAs is { } sentAs)
            {
                await RecordSentAsync(original, etag, new DeliveryRecord(original.ChannelId, original.Chat, original.ArticleBlob, sentAs, original.LastAttemptAt ?? time.GetUtcNow(), original.Attempts) { InDigest = original.SentInDigest });
                outcomes.Add(Outcome(DeliveryStatus.AlreadySent));
                continue;
            }
            if (chatUnusable)
            {
                await outbox.DeadLetterAsync(entry, stop!, time.GetUtcNow(), cancellationToken);
                outcomes.Add(Record(Outcome(DeliveryStatus.Rejected, stop)));
                continue;
            }
            if (entry.NotBefore > time.GetUtcNow())
            {
                stop = $"waiting until {entry.NotBefore:u} ({entry.LastError})";
                stopStatus = entry.LastError?.StartsWith(TelegramNotifier.FloodControlPrefix, StringComparison.Ordinal) == true ? DeliveryStatus.Deferred : DeliveryStatus.Waiting;
                outcomes.Add(Record(Outcome(stopStatus, stop)));
                continue;
            }
            if (definition?.Digest is not null && entry.DigestLine is not null && entry.EditMessageId is null)
            {
                collected.Add((entry, etag)); // its digest is due: sent with the others after this loop
                continue;
            }

            // Quiet hours: a new message waits for the window's end, or goes without a sound (an edit never makes one).
            var (heldUntil, sendAs) = entry.EditMessageId is null ? Quiet(definition) : (null, definition);
            if (heldUntil is not null)
            {
                stop = heldUntil;
                stopStatus = DeliveryStatus.Held;
                outcomes.Add(Record(Outcome(stopStatus, stop)));
                continue;
            }

            // Nothing is sent under a lease this run may no longer hold: another run may be sending the same alert.
            if (cancellationToken.IsCancellationRequested || lease is not null && !await lease.ConfirmAsync(cancellationToken)) break;

            var (outcome, newChat) = await SendAsync(entry, etag, sendAs, left, cancellationToken);
            outcomes.Add(Record(outcome));
            if (newChat is not null) chat = newChat;
            switch (outcome.Status)
            {
                case DeliveryStatus.Retrying or DeliveryStatus.Deferred or DeliveryStatus.DeadLettered:
                    stop = outcome.Error; // keep the channel's order: later alerts wait behind this one
                    stopStatus = outcome.Status == DeliveryStatus.Deferred ? DeliveryStatus.Deferred : DeliveryStatus.Waiting;
                    break;
                case DeliveryStatus.Rejected when outcome.ChatUnusable:
                    chatUnusable = true;
                    stop = outcome.Error;
                    break;
            }
        }
        if (collected.Count > 0)
        {
            if (stop is not null)
                outcomes.AddRange(collected.Select(c => Record(new DeliveryOutcome(channelId, c.Entry.Chat, c.Entry.ArticleBlob, stopStatus, c.Entry.Html, stop) { EntryName = c.Entry.Name })));
            else
                outcomes.AddRange(await SendDigestAsync(definition!, chat ?? collected[0].Entry.Chat, collected, lease, cancellationToken));
        }
        return outcomes;
    }

    /// <summary>
    /// How the channel's quiet hours treat a new message now: held (and until when), or sent as the channel says, without
    /// a sound inside the window.
    /// </summary>
    (string? HeldUntil, ChannelDefinition? SendAs) Quiet(ChannelDefinition? channel)
    {
        var now = time.GetUtcNow();
        if (channel?.QuietHours is not { } quiet || !quiet.Contains(now, channel.TimeZone)) return (null, channel);
        return quiet.Hold
            ? ($"held for quiet hours until {MessageFormatter.FormatDate(quiet.EndAfter(now, channel.TimeZone), channel.TimeZone)}", channel)
            : (null, channel with { Silent = true });
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
