using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Primitives;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Delivery;

/// <summary>One alert or edit: its picture, its button, Telegram's answer decided by <see cref="SendDecision"/>, and its record.</summary>
public sealed partial class Dispatcher
{
    /// <summary>
    /// A new message, with its picture as the channel shows pictures: a photo captioned with the message, or a large preview
    /// above it. A picture Telegram refuses (it could not fetch or read it) costs the alert nothing: it goes as text at once.
    /// </summary>
    async Task<(int MessageId, bool AsPhoto)> SendNewAsync(OutboxEntry entry, ChannelDefinition? channel)
    {
        var images = channel?.Images ?? Images.Preview;
        if (entry.Picture is { } picture && images != Images.Off)
        {
            try
            {
                if (images == Images.Photo && entry.Caption is { } caption)
                    return (await telegram.SendPhotoAsync(entry.Chat, picture, caption, channel, CancellationToken.None, NotRelevant(channel)), true);
                return (await telegram.SendAsync(entry.Chat, entry.Html, channel, CancellationToken.None, picture, NotRelevant(channel)), false);
            }
            catch (TelegramSendException ex) when (TelegramNotifier.RefusedPicture(ex))
            {
                LogPictureRefused(entry.ChannelId, entry.ArticleBlob, picture, ex.Message);
            }
        }
        return (await telegram.SendAsync(entry.Chat, entry.Html, channel, CancellationToken.None, notRelevant: NotRelevant(channel)), false);
    }

    /// <summary>
    /// Records that Telegram took the alert (or a digest with it). Whatever fails after Telegram's acceptance never makes a
    /// second send: when the delivery record cannot be written, the outbox entry is marked sent instead, and the next run
    /// writes the record without sending; when even that fails, the send is counted as uncertain and logged as critical.
    /// Returns whether the record was written.
    /// </summary>
    async Task<bool> RecordSentAsync(OutboxEntry entry, ETag etag, DeliveryRecord record)
    {
        try
        {
            await outbox.MarkDeliveredAsync(entry, record, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is not SimulatedCrashException)
        {
            metrics.RecordUncertain(entry.ChannelId);
            try
            {
                await outbox.MarkSentUnrecordedAsync(entry with { SentAs = record.MessageId, SentInDigest = record.InDigest, Attempts = record.Attempts, LastAttemptAt = record.SentAt }, etag, CancellationToken.None);
                LogRecordLater(entry.ChannelId, entry.ArticleBlob, record.MessageId, ex.FirstLine());
            }
            catch (Exception inner) when (inner is not SimulatedCrashException)
            {
                LogUnrecorded(entry.ChannelId, entry.ArticleBlob, record.MessageId, inner.FirstLine());
            }
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Channel {ChannelId}: Telegram refused the message its template made for {ArticleBlob} ({Reason}); sent in the built-in layout instead")]
    partial void LogTemplateRefused(string channelId, string articleBlob, string reason);

    [LoggerMessage(LogLevel.Error, "Channel {ChannelId}: {ArticleBlob} went out as message {MessageId}, but its delivery record could not be written ({Reason}); it is marked sent in the outbox, and the next run records it without sending it again")]
    partial void LogRecordLater(string channelId, string articleBlob, int messageId, string reason);

    [LoggerMessage(LogLevel.Critical, "Channel {ChannelId}: {ArticleBlob} went out as message {MessageId}, but neither its delivery record nor its outbox entry could be written ({Reason}); a later run may send it again")]
    partial void LogUnrecorded(string channelId, string articleBlob, int messageId, string reason);

    /// <summary>Whether a single alert to the channel carries the editors' "Not relevant" button.</summary>
    static bool NotRelevant(ChannelDefinition? channel) => channel?.NotRelevantButton ?? false;

    /// <summary>One alert: sleeps through short 429s, follows a group's migration once, and classifies the rest.</summary>
    async Task<(DeliveryOutcome Outcome, string? NewChat)> SendAsync(OutboxEntry entry, ETag etag, ChannelDefinition? channel, int left, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempts = entry.Attempts;
        string? migratedTo = null;
        DeliveryOutcome Outcome(DeliveryStatus status, string? error = null, bool network = false, bool uncertain = false) =>
            new(entry.ChannelId, entry.Chat, entry.ArticleBlob, status, entry.Html, error) { NetworkFailure = network, EntryName = entry.Name, Uncertain = uncertain };
        var shortWaits = 0;

        while (true)
        {
            attempts++;
            await flood.WaitAsync(entry.Chat, left, cancellationToken);
            try
            {
                // A send that has started is finished and recorded even if the run is cancelled (a host shutdown, or
                // another channel failing hard): cancellation only stops new sends from starting.
                int messageId;
                var asPhoto = false;
                try
                {
                    if (entry.EditMessageId is { } edit)
                        messageId = entry.EditsCaption
                            ? await telegram.EditCaptionAsync(entry.Chat, edit, entry.Caption ?? HtmlText.Truncate(entry.Html, MessageFormatter.MaxCaptionLength, "…"), CancellationToken.None, NotRelevant(channel))
                            : await telegram.EditAsync(entry.Chat, edit, entry.Html, channel, CancellationToken.None, NotRelevant(channel));
                    else
                        (messageId, asPhoto) = await SendNewAsync(entry, channel);
                }
                finally
                {
                    flood.Finished(entry.Chat);
                }
                failpoints.Pass(Failpoint.MessageSent); // the one window in which a crash means a second send
                var recorded = await RecordSentAsync(entry, etag, new DeliveryRecord(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, time.GetUtcNow(), attempts) { AsPhoto = asPhoto });
                failpoints.Pass(Failpoint.DeliveryRecorded);
                if (entry.EditMessageId is null) LogSent(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, attempts);
                else LogEdited(entry.ChannelId, entry.Chat, messageId, entry.ArticleBlob);
                return (Outcome(DeliveryStatus.Sent, uncertain: !recorded), migratedTo);
            }
            catch (TelegramSendException ex) when (ex.Failure == SendFailure.MessageRejected && ex.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase)
                && entry.FallbackHtml is { } fallback && entry.EditMessageId is null)
            {
                // The channel's template made HTML Telegram refuses: the built-in layout goes instead, once.
                LogTemplateRefused(entry.ChannelId, entry.ArticleBlob, ex.Message);
                entry = entry with { Html = fallback, Caption = null, FallbackHtml = null };
                attempts--;
            }
            catch (TelegramSendException ex)
            {
                var now = time.GetUtcNow();
                switch (SendDecision.Decide(ex, shortWaits, migratedTo is not null, attempts, entry.FirstFailureAt, now, settings))
                {
                    case SendDecision.StopRun:
                        throw new TelegramTokenRefusedException(ex.Message);

                    case SendDecision.WaitAndRetry(var wait):
                        shortWaits++;
                        LogWaiting(entry.ChannelId, (int)wait.TotalSeconds);
                        await Task.Delay(wait, time, cancellationToken);
                        continue;

                    case SendDecision.Defer(var until):
                        await outbox.RecordFailureAsync(entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = now, NotBefore = until }, etag, cancellationToken);
                        LogDeferred(entry.ChannelId, entry.Chat, until, shortWaits);
                        return (Outcome(DeliveryStatus.Deferred, $"flood control: not before {until:u}"), migratedTo);

                    case SendDecision.FollowMigration(var chat):
                        migratedTo = chat;
                        LogMigrated(entry.ChannelId, entry.Chat, migratedTo);
                        entry = entry with { Chat = migratedTo };
                        continue;

                    case SendDecision.Refuse(var chatUnusable):
                        await outbox.DeadLetterAsync(entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = now }, ex.Message, now, cancellationToken);
                        LogRejected(entry.ChannelId, entry.Chat, entry.ArticleBlob, ex.Message);
                        return (Outcome(DeliveryStatus.Rejected, ex.Message) with { ChatUnusable = chatUnusable }, migratedTo);

                    case SendDecision.GiveUp(var reason):
                        await outbox.DeadLetterAsync(entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = now }, reason, now, cancellationToken);
                        LogDeadLettered(entry.ChannelId, entry.Chat, entry.ArticleBlob, reason);
                        return (Outcome(DeliveryStatus.DeadLettered, reason, ex.NetworkFailure), migratedTo);

                    case SendDecision.RetryLater(var notBefore, var first):
                        await outbox.RecordFailureAsync(entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = now, NotBefore = notBefore, FirstFailureAt = first }, etag, cancellationToken);
                        if (ex.Uncertain)
                        {
                            metrics.RecordUncertain(entry.ChannelId);
                            LogUncertain(entry.ChannelId, entry.Chat, entry.ArticleBlob, ex.Message);
                        }
                        else LogFailed(entry.ChannelId, entry.Chat, entry.ArticleBlob, attempts, ex.Message);
                        return (Outcome(DeliveryStatus.Retrying, ex.Message, ex.NetworkFailure, ex.Uncertain), migratedTo);

                    case var other:
                        throw new InvalidOperationException($"No handling for {other}");
                }
            }
        }
    }
}
