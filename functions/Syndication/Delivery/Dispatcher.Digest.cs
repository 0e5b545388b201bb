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
    async Task<List<DeliveryOutcome>> SendDigestAsync(ChannelDefinition channel, string chat, List<(OutboxEntry Entry, ETag ETag)> collected, HeldLease? lease,
        CancellationToken cancellationToken)
    {
        var outcomes = new List<DeliveryOutcome>();
        DeliveryOutcome Outcome(OutboxEntry e, DeliveryStatus status, string? error = null) =>
            Record(new DeliveryOutcome(channel.Id, chat, e.ArticleBlob, status, e.Html, error) { EntryName = e.Name });
        var now = time.GetUtcNow();
        var due = collected.Select(c => c.Entry).ToList();
        var versions = collected.ToDictionary(c => c.Entry.Name, c => c.ETag, StringComparer.Ordinal);

        var (heldUntil, quietly) = Quiet(channel);
        if (heldUntil is not null)
        {
            outcomes.AddRange(due.Select(e => Outcome(e, DeliveryStatus.Held, heldUntil)));
            return outcomes;
        }
        var sendAs = quietly! with { LinkPreview = LinkPreview.Off }; // a list of links previews none of them

        var parts = MessageFormatter.Digest([.. due.Select(e => e.DigestLine!)], now, channel.TimeZone);
        var taken = 0;
        for (var p = 0; p < parts.Count; p++)
        {
            var (html, count) = parts[p];
            var members = due.Skip(taken).Take(count).ToList();
            taken += count;
            if (cancellationToken.IsCancellationRequested || lease is not null && !await lease.ConfirmAsync(cancellationToken))
            {
                outcomes.AddRange(due.Skip(taken - count).Select(e => Outcome(e, DeliveryStatus.Waiting, "the run ended before the digest was sent")));
                break;
            }
            var (messageId, failure, refused, notBefore) = await SendDigestPartAsync(channel, chat, html, sendAs, parts.Count - p, due[taken - count], cancellationToken);
            if (messageId is { } id)
            {
                // Each story is recorded, or marked sent, or counted uncertain: the digest is never sent twice for a failed record.
                foreach (var entry in members)
                {
                    var recorded = await RecordSentAsync(entry, versions[entry.Name], new DeliveryRecord(entry.ChannelId, chat, entry.ArticleBlob, id, time.GetUtcNow(), entry.Attempts + 1) { InDigest = true });
                    outcomes.Add(Outcome(entry, DeliveryStatus.Sent) with { Uncertain = !recorded });
                }
                LogDigestSent(channel.Id, chat, id, count, p + 1, parts.Count);
            }
            else if (refused)
            {
                foreach (var entry in members) await outbox.DeadLetterAsync(entry, failure!, time.GetUtcNow(), CancellationToken.None);
                outcomes.AddRange(members.Select(e => Outcome(e, DeliveryStatus.Rejected, failure)));
            }
            else
            {
                // Left pending, whole: the next run sends this part and the rest. Each story counts the attempt, and one
                // that has failed for the whole retry period is dead-lettered, as a single alert would be.
                var failedAt = time.GetUtcNow();
                foreach (var entry in due.Skip(taken - count))
                {
                    var first = entry.FirstFailureAt ?? failedAt;
                    if (failedAt - first >= TimeSpan.FromHours(options.Value.RetryForHours))
                    {
                        var reason = $"{failure} (retried for {options.Value.RetryForHours} h)";
                        await outbox.DeadLetterAsync(entry, reason, failedAt, CancellationToken.None);
                        outcomes.Add(Outcome(entry, DeliveryStatus.DeadLettered, reason));
                        continue;
                    }
                    await outbox.RecordFailureAsync(entry with { Attempts = entry.Attempts + 1, LastError = failure, LastAttemptAt = failedAt, FirstFailureAt = first, NotBefore = notBefore },
                        versions[entry.Name], CancellationToken.None);
                    outcomes.Add(Outcome(entry, DeliveryStatus.Retrying, failure));
                }
                LogDigestFailed(channel.Id, chat, failure!);
                break;
            }
        }
        return outcomes;
    }

    /// <summary>One message of a digest, through pacing; short 429s are slept through and a migrated group followed.</summary>
    /// <param name="first">The part's first story: its attempts and first failure set the backoff, as a single alert's would.</param>
    async Task<(int? MessageId, string? Failure, bool Refused, DateTimeOffset? NotBefore)> SendDigestPartAsync(ChannelDefinition channel, string chat, string html,
        ChannelDefinition sendAs, int left, OutboxEntry first, CancellationToken cancellationToken)
    {
        var shortWaits = 0;
        var migrated = false;
        while (true)
        {
            await flood.WaitAsync(chat, left, cancellationToken);
            try
            {
                return (await telegram.SendAsync(chat, html, sendAs, CancellationToken.None), null, false, null);
            }
            catch (TelegramSendException ex)
            {
                switch (SendDecision.Decide(ex, shortWaits, migrated, first.Attempts + 1, first.FirstFailureAt, time.GetUtcNow(), options.Value))
                {
                    case SendDecision.StopRun:
                        throw new TelegramTokenRefusedException(ex.Message);
                    case SendDecision.WaitAndRetry(var wait):
                        shortWaits++;
                        LogWaiting(channel.Id, (int)wait.TotalSeconds);
                        await Task.Delay(wait, time, cancellationToken);
                        continue;
                    case SendDecision.FollowMigration(var to):
                        LogMigrated(channel.Id, chat, to);
                        (chat, migrated) = (to, true);
                        continue;
                    case SendDecision.Refuse:
                        return (null, ex.Message, true, null);
                    case SendDecision.Defer(var until):
                        return (null, ex.Message, false, until);
                    case SendDecision.RetryLater(var notBefore, _):
                        return (null, ex.Message, false, notBefore);
                    default:
                        return (null, ex.Message, false, null);
                }
            }
            finally
            {
                flood.Finished(chat);
            }
        }
    }

    [LoggerMessage(LogLevel.Information, "Sent the digest of channel {ChannelId} ({Chat}) as message {MessageId}: {Stories} stories (part {Part} of {Parts})")]
    partial void LogDigestSent(string channelId, string chat, int messageId, int stories, int part, int parts);

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId} ({Chat}): the digest could not be sent and waits for the next run: {Reason}")]
    partial void LogDigestFailed(string channelId, string chat, string reason);
}
