using Azure;
using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Primitives;
using Syndication.Storage;
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

    /// <summary>What came of one message through Telegram: its value, or the failure and what to do about it; and the chat it went to.</summary>
    readonly record struct Attempt<T>(T? Value, TelegramSendException? Failure, SendDecision? Decision, string Chat, int ShortWaits, int Tries);

    /// <summary>
    /// One message through pacing: short 429s are slept through and a migrated group followed once, as
    /// <see cref="SendDecision"/> says; a refused token stops the run. Any other failure comes back with its decision, for
    /// <see cref="ApplyFailureAsync"/>. A send that has started is finished even if the run is cancelled (a host shutdown,
    /// or another channel failing hard): cancellation only stops new sends from starting.
    /// </summary>
    /// <param name="before">The alert's attempts before this run's, and its first failure: they set the backoff. Each request counts as an attempt.</param>
    async Task<Attempt<T>> ThroughTelegramAsync<T>(string channelId, string chat, int left, int before, DateTimeOffset? firstFailure,
        Func<string, Task<T>> send, CancellationToken cancellationToken)
    {
        var shortWaits = 0;
        var migrated = false;
        var tries = 0;
        while (true)
        {
            tries++;
            await flood.WaitAsync(chat, left, cancellationToken, personal: Watches.Subscriber.ChatOf(channelId) is not null);
            try
            {
                return new(await send(chat), null, null, chat, shortWaits, tries);
            }
            catch (TelegramSendException ex)
            {
                switch (SendDecision.Decide(ex, shortWaits, migrated, before + tries, firstFailure, time.GetUtcNow(), options.Value))
                {
                    case SendDecision.StopRun:
                        throw new TelegramTokenRefusedException(ex.Message);
                    case SendDecision.WaitAndRetry(var wait):
                        shortWaits++;
                        LogWaiting(channelId, (int)wait.TotalSeconds);
                        await Task.Delay(wait, time, cancellationToken);
                        continue;
                    case SendDecision.FollowMigration(var to):
                        LogMigrated(channelId, chat, to);
                        (chat, migrated) = (to, true);
                        continue;
                    case var decision:
                        return new(default, ex, decision, chat, shortWaits, tries);
                }
            }
            finally
            {
                flood.Finished(chat);
            }
        }
    }

    /// <summary>
    /// The one place a failed alert's decision is carried out: kept with its backoff or flood-control time, or moved to the
    /// dead letters with its reason.
    /// </summary>
    async Task<DeliveryOutcome> ApplyFailureAsync(OutboxEntry entry, ETag etag, int attempts, SendDecision decision, TelegramSendException ex, int shortWaits)
    {
        var now = time.GetUtcNow();
        var tried = entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = now };
        DeliveryOutcome Outcome(DeliveryStatus status, string? error) =>
            new(entry.ChannelId, entry.Chat, entry.ArticleBlob, status, entry.Html, error) { EntryName = entry.Name };
        switch (decision)
        {
            case SendDecision.Defer(var until):
                await outbox.UpdatePendingAsync(tried with { NotBefore = until }, etag, CancellationToken.None);
                LogDeferred(entry.ChannelId, entry.Chat, until, shortWaits);
                return Outcome(DeliveryStatus.Deferred, $"flood control: not before {until:u}");
            case SendDecision.Refuse(var chatUnusable):
                await outbox.DeadLetterAsync(tried, ex.Message, now, CancellationToken.None);
                LogRejected(entry.ChannelId, entry.Chat, entry.ArticleBlob, ex.Message);
                return Outcome(DeliveryStatus.Rejected, ex.Message) with { ChatUnusable = chatUnusable };
            case SendDecision.GiveUp(var reason):
                await outbox.DeadLetterAsync(tried, reason, now, CancellationToken.None);
                LogDeadLettered(entry.ChannelId, entry.Chat, entry.ArticleBlob, reason);
                return Outcome(DeliveryStatus.DeadLettered, reason) with { NetworkFailure = ex.NetworkFailure };
            case SendDecision.RetryLater(var notBefore, var first):
                await outbox.UpdatePendingAsync(tried with { NotBefore = notBefore, FirstFailureAt = first }, etag, CancellationToken.None);
                if (ex.Uncertain)
                {
                    metrics.RecordUncertain(entry.ChannelId);
                    LogUncertain(entry.ChannelId, entry.Chat, entry.ArticleBlob, ex.Message);
                }
                else LogFailed(entry.ChannelId, entry.Chat, entry.ArticleBlob, attempts, ex.Message);
                return Outcome(DeliveryStatus.Retrying, ex.Message) with { NetworkFailure = ex.NetworkFailure, Uncertain = ex.Uncertain };
            default:
                throw new InvalidOperationException($"No handling for {decision}");
        }
    }

    /// <summary>One alert or edit; a template Telegram cannot parse goes once more in the built-in layout.</summary>
    async Task<(DeliveryOutcome Outcome, string? NewChat)> SendAsync(OutboxEntry entry, ETag etag, ChannelDefinition? channel, int left, CancellationToken cancellationToken)
    {
        string? newChat = null;
        while (true)
        {
            var sent = await ThroughTelegramAsync(entry.ChannelId, entry.Chat, left, entry.Attempts, entry.FirstFailureAt, chat => SendOrEditAsync(entry with { Chat = chat }, channel), cancellationToken);
            var attempts = entry.Attempts + sent.Tries;
            if (sent.Chat != entry.Chat) (newChat, entry) = (sent.Chat, entry with { Chat = sent.Chat });
            if (sent.Failure is { } ex)
            {
                if (ex.Failure == SendFailure.MessageRejected && ex.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase)
                    && entry.FallbackHtml is { } fallback && entry.EditMessageId is null)
                {
                    // The channel's template made HTML Telegram refuses: the built-in layout goes instead, once.
                    LogTemplateRefused(entry.ChannelId, entry.ArticleBlob, ex.Message);
                    entry = entry with { Html = fallback, Caption = null, FallbackHtml = null };
                    continue;
                }
                return (await ApplyFailureAsync(entry, etag, attempts, sent.Decision!, ex, sent.ShortWaits), newChat);
            }
            var (messageId, asPhoto) = sent.Value;
            failpoints.Pass(Failpoint.MessageSent); // the one window in which a crash means a second send
            var recorded = await RecordSentAsync(entry, etag, new DeliveryRecord(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, time.GetUtcNow(), attempts) { AsPhoto = asPhoto });
            failpoints.Pass(Failpoint.DeliveryRecorded);
            if (entry.EditMessageId is null) LogSent(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, attempts);
            else LogEdited(entry.ChannelId, entry.Chat, messageId, entry.ArticleBlob);
            return (new DeliveryOutcome(entry.ChannelId, entry.Chat, entry.ArticleBlob, DeliveryStatus.Sent, entry.Html, null) { EntryName = entry.Name, Uncertain = !recorded }, newChat);
        }
    }

    /// <summary>An edit changes the message's text, or a photo's caption; a new alert goes as <see cref="SendNewAsync"/> says.</summary>
    async Task<(int MessageId, bool AsPhoto)> SendOrEditAsync(OutboxEntry entry, ChannelDefinition? channel)
    {
        if (entry.EditMessageId is not { } edit) return await SendNewAsync(entry, channel);
        return (entry.EditsCaption
            ? await telegram.EditCaptionAsync(entry.Chat, edit, entry.Caption ?? HtmlText.Truncate(entry.Html, MessageFormatter.MaxCaptionLength, "…"), CancellationToken.None, NotRelevant(channel), channel?.Language)
            : await telegram.EditAsync(entry.Chat, edit, entry.Html, channel, CancellationToken.None, NotRelevant(channel)), false);
    }
}
