using Azure;
using Syndication.Config;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>A pass over one channel's waiting alerts, each step as <see cref="ChannelDrain"/> decides.</summary>
public sealed partial class Dispatcher
{
    /// <summary>
    /// One pass over a channel's waiting alerts in its order, each step as <see cref="ChannelDrain"/> decides. The write order
    /// that keeps a retry safe: an alert is read just before it may go; sent; recorded as delivered; then removed from the
    /// outbox (<see cref="RecordSentAsync"/>). A failure is written onto the entry; a dead letter is written before its
    /// entry is removed.
    /// </summary>
    async Task<List<DeliveryOutcome>> DrainPassAsync(string channelId, List<WaitingAlert> pending, SyndicationConfig config, HeldLease lease,
        CancellationToken cancellationToken)
    {
        // The chat comes from the current config when the channel is still there, so a corrected chat takes effect.
        var definition = config.FindChannel(channelId);
        var chat = definition?.Chat;
        var outcomes = new List<DeliveryOutcome>();
        var state = DrainState.Start;
        var ordered = ChannelDrain.Order(pending).ToList();
        var left = ordered.Count + 1;
        var collected = new List<(OutboxEntry Entry, ETag ETag)>(); // alerts for the channel's digest

        foreach (var waiting in ordered)
        {
            left--; // alerts still to go in this drain, this one included: the more, the sooner its bot-wide turn
            switch (ChannelDrain.BeforeRead(state, definition, waiting, time.GetUtcNow()))
            {
                case DrainStep.WaitBehind(var status, var reason):
                    outcomes.Add(Record(new DeliveryOutcome(channelId, chat ?? "", waiting.Name[(channelId.Length + 1)..], status, "", reason) { EntryName = waiting.Name }));
                    continue;
                case DrainStep.NotYet(var reason):
                    outcomes.Add(Record(new DeliveryOutcome(channelId, chat ?? "", waiting.Name[(channelId.Length + 1)..], DeliveryStatus.Collected, "", reason) { EntryName = waiting.Name }));
                    continue;
            }
            // Read now, just before it may go; one deleted meanwhile was delivered by another run.
            if (await outbox.GetPendingAsync(waiting.Name, cancellationToken) is not var (original, etag)) continue;
            var entry = original with { Chat = chat ?? original.Chat };
            DeliveryOutcome Outcome(DeliveryStatus status, string? error = null) =>
                new(entry.ChannelId, entry.Chat, entry.ArticleBlob, status, entry.Html, error) { EntryName = entry.Name };

            var step = ChannelDrain.AfterRead(state, definition, entry, await outbox.IsDeliveredAsync(entry.Name, cancellationToken), time.GetUtcNow());
            state = ChannelDrain.After(state, step);
            switch (step)
            {
                case DrainStep.Clear:
                    await outbox.RemoveAsync(entry.Name, cancellationToken);
                    outcomes.Add(Outcome(DeliveryStatus.AlreadySent));
                    continue;
                case DrainStep.RecordEarlierSend:
                    await RecordSentAsync(original, etag, new DeliveryRecord(original.ChannelId, original.Chat, original.ArticleBlob, original.SentAs!.Value, original.LastAttemptAt ?? time.GetUtcNow(), original.Attempts) { InDigest = original.SentInDigest });
                    outcomes.Add(Outcome(DeliveryStatus.AlreadySent));
                    continue;
                case DrainStep.DeadLetter(var reason):
                    await outbox.DeadLetterAsync(entry, reason, time.GetUtcNow(), cancellationToken);
                    outcomes.Add(Record(Outcome(DeliveryStatus.Rejected, reason)));
                    continue;
                case DrainStep.Wait(var status, var reason):
                    outcomes.Add(Record(Outcome(status, reason)));
                    continue;
                case DrainStep.Hold(var reason):
                    outcomes.Add(Record(Outcome(DeliveryStatus.Held, reason)));
                    continue;
                case DrainStep.Collect:
                    collected.Add((entry, etag)); // its digest is due: sent with the others after this loop
                    continue;
                case DrainStep.Send(var sendAs):
                    // Nothing is sent under a lease this run may no longer hold: another run may be sending the same alert.
                    if (cancellationToken.IsCancellationRequested || !await lease.ConfirmAsync(cancellationToken)) break;
                    var (outcome, newChat) = await SendAsync(entry, etag, sendAs, left, cancellationToken);
                    outcomes.Add(Record(outcome));
                    if (newChat is not null) chat = newChat;
                    state = ChannelDrain.After(state, outcome);
                    continue;
            }
            break;
        }
        if (collected.Count > 0) outcomes.AddRange(await SendDigestAsync(definition!, chat ?? collected[0].Entry.Chat, collected, state, lease, cancellationToken));
        return outcomes;
    }
}
