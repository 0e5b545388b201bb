using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Telegram;

namespace Syndication.Delivery;

public enum DeliveryStatus { Sent, Failed, DryRun, AlreadySent }

public sealed record DeliveryOutcome(string ChannelId, string Chat, string ArticleBlob, DeliveryStatus Status, string Html, string? Error)
{
    public bool NetworkFailure { get; init; }
}

/// <summary>
/// Drains the outbox: every pending alert, oldest story first per channel. A failed send stays pending for the next
/// sweep; a channel that fails never stops the others. The only way to send twice is a crash between Telegram's
/// answer and the delivery record, a window of one blob write.
/// </summary>
public sealed partial class Dispatcher(Outbox outbox, TelegramNotifier telegram, TimeProvider time, ILogger<Dispatcher> logger)
{
    public async Task<IReadOnlyList<DeliveryOutcome>> DrainAsync(SyndicationConfig config, bool dryRun, CancellationToken cancellationToken)
    {
        var pending = await outbox.ListPendingAsync(cancellationToken);
        var outcomes = new List<DeliveryOutcome>();
        foreach (var channel in pending.GroupBy(p => p.Entry.ChannelId).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The chat comes from the current config when the channel is still there, so a corrected chat takes effect.
            var definition = config.FindChannel(channel.Key);
            var ordered = channel.OrderBy(p => p.Entry.Published ?? p.Entry.CreatedAt).ThenBy(p => p.Entry.CreatedAt);
            foreach (var (entry, etag) in ordered)
                outcomes.Add(await DeliverAsync(entry with { Chat = definition?.Chat ?? entry.Chat }, definition, etag, dryRun, cancellationToken));
        }
        return outcomes;
    }

    async Task<DeliveryOutcome> DeliverAsync(OutboxEntry entry, ChannelDefinition? channel, Azure.ETag etag, bool dryRun, CancellationToken cancellationToken)
    {
        DeliveryOutcome Outcome(DeliveryStatus status, string? error = null) =>
            new(entry.ChannelId, entry.Chat, entry.ArticleBlob, status, entry.Html, error);

        if (await outbox.IsDeliveredAsync(entry.Name, cancellationToken))
        {
            // Sent by an earlier run that stopped before it could clear the outbox.
            if (!dryRun) await outbox.RemoveAsync(entry.Name, cancellationToken);
            return Outcome(DeliveryStatus.AlreadySent);
        }
        if (dryRun) return Outcome(DeliveryStatus.DryRun);

        var attempts = entry.Attempts + 1;
        try
        {
            var messageId = await telegram.SendAsync(entry.Chat, entry.Html, channel, cancellationToken);
            var sentAt = time.GetUtcNow();
            await outbox.MarkDeliveredAsync(entry, new DeliveryRecord(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, sentAt, attempts), cancellationToken);
            LogSent(entry.ChannelId, entry.Chat, entry.ArticleBlob, messageId, attempts);
            return Outcome(DeliveryStatus.Sent);
        }
        catch (TelegramSendException ex)
        {
            LogFailed(entry.ChannelId, entry.Chat, entry.ArticleBlob, attempts, ex.Message);
            await outbox.RecordFailureAsync(entry with { Attempts = attempts, LastError = ex.Message, LastAttemptAt = time.GetUtcNow() }, etag, cancellationToken);
            return Outcome(DeliveryStatus.Failed, ex.Message) with { NetworkFailure = ex.NetworkFailure };
        }
    }

    [LoggerMessage(LogLevel.Information, "Sent {ArticleBlob} to channel {ChannelId} ({Chat}) as message {MessageId} after {Attempts} attempt(s)")]
    partial void LogSent(string channelId, string chat, string articleBlob, int messageId, int attempts);

    [LoggerMessage(LogLevel.Warning, "Could not send {ArticleBlob} to channel {ChannelId} ({Chat}), attempt {Attempts}; it stays pending for the next sweep: {Reason}")]
    partial void LogFailed(string channelId, string chat, string articleBlob, int attempts, string reason);
}
