using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Storage;
using Syndication.Telegram;

namespace Syndication.Delivery;

/// <summary>Digests: a channel's collected alerts sent as one message per part, each part paced and recorded like a single alert.</summary>
public sealed partial class Dispatcher
{
    /// <summary>
    /// The channel's digest: the collected alerts (their digest time has come), one line each, in as few messages as the
    /// length limit allows. Each part is marked delivered for its alerts once Telegram took
    /// it. A part that fails leaves its alerts and the rest pending for the next run, each with the attempt counted, and
    /// dead-letters those that have failed for the whole retry period; a chat that refuses them for good dead-letters
    /// them at once, as single alerts are.
    /// </summary>
    async Task<List<DeliveryOutcome>> SendDigestAsync(ChannelDefinition channel, string chat, List<(OutboxEntry Entry, ETag ETag)> collected, DrainState state,
        HeldLease lease, CancellationToken cancellationToken)
    {
        var outcomes = new List<DeliveryOutcome>();
        DeliveryOutcome Outcome(OutboxEntry e, DeliveryStatus status, string? error = null) =>
            Record(new DeliveryOutcome(channel.Id, chat, e.ArticleBlob, status, e.Html, error) { EntryName = e.Name });
        var now = time.GetUtcNow();
        var due = collected.Select(c => c.Entry).ToList();
        var versions = collected.ToDictionary(c => c.Entry.Name, c => c.ETag, StringComparer.Ordinal);

        ChannelDefinition sendAs;
        switch (ChannelDrain.Digest(state, channel, now))
        {
            case DrainStep.WaitBehind(var status, var reason):
                return [.. due.Select(e => Outcome(e, status, reason))];
            case DrainStep.Hold(var reason):
                return [.. due.Select(e => Outcome(e, DeliveryStatus.Held, reason))];
            case DrainStep.Send(var quietly):
                sendAs = quietly!;
                break;
            case var other:
                throw new InvalidOperationException($"No digest step {other}");
        }

        var parts = MessageFormatter.Digest([.. due.Select(e => e.DigestLine!)], now, channel.TimeZone, channel.Language);
        var taken = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            var (html, count) = parts[p];
            var members = due.Skip(taken).Take(count).ToList();
            taken += count;
            if (cancellationToken.IsCancellationRequested || !await lease.ConfirmAsync(cancellationToken))
            {
                outcomes.AddRange(due.Skip(taken - count).Select(e => Outcome(e, DeliveryStatus.Waiting, "the run ended before the digest was sent")));
                break;
            }
            // The part's first story sets the backoff, as a single alert's attempts would.
            var first = members[0];
            var sent = await ThroughTelegramAsync(channel.Id, chat, parts.Count - p, first.Attempts, first.FirstFailureAt,
                to => telegram.SendAsync(to, html, sendAs, CancellationToken.None), cancellationToken);
            chat = sent.Chat;
            if (sent.Failure is not { } ex)
            {
                // Each story is recorded, or marked sent, or counted uncertain: the digest is never sent twice for a failed record.
                foreach (var entry in members)
                {
                    var recorded = await RecordSentAsync(entry, versions[entry.Name], new DeliveryRecord(entry.ChannelId, chat, entry.ArticleBlob, sent.Value, time.GetUtcNow(), entry.Attempts + 1) { InDigest = true });
                    outcomes.Add(Outcome(entry, DeliveryStatus.Sent) with { Uncertain = !recorded });
                }
                LogDigestSent(channel.Id, chat, sent.Value, count, p + 1, parts.Count);
                continue;
            }
            // This part and the rest wait for the next run, each story with the attempt counted and its own decision: one
            // that has failed for the whole retry period is dead-lettered, as a single alert would be; a chat that refuses
            // the digest for good dead-letters its stories.
            foreach (var entry in due.Skip(taken - count))
            {
                var decision = SendDecision.Settle(ex, entry.Attempts + 1, entry.FirstFailureAt, time.GetUtcNow(), options.Value);
                outcomes.Add(Record(await ApplyFailureAsync(entry with { Chat = chat }, versions[entry.Name], entry.Attempts + 1, decision, ex, sent.ShortWaits)));
            }
            LogDigestFailed(channel.Id, chat, ex.Message);
            break;
        }
        return outcomes;
    }

    [LoggerMessage(LogLevel.Information, "Sent the digest of channel {ChannelId} ({Chat}) as message {MessageId}: {Stories} stories (part {Part} of {Parts})")]
    partial void LogDigestSent(string channelId, string chat, int messageId, int stories, int part, int parts);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId} ({Chat}): the digest could not be sent and waits for the next run: {Reason}")]
    partial void LogDigestFailed(string channelId, string chat, string reason);
}
