using Microsoft.Extensions.Logging;
using Syndication.Delivery;
using Syndication.Watches;

namespace Syndication.Sweeps;

/// <summary>
/// What delivery means for subscribers, apart from channels: a person whose chat Telegram refuses for good (they blocked
/// the bot, or deleted their account) is unsubscribed at once, with everything kept about them, and the editors are not
/// told who (their chats are theirs); forgetting a person is one step, whoever asks (<c>/stop</c> or a refusal).
/// </summary>
public sealed partial class SubscriberUpkeep(SubscriberStore store, Outbox outbox, RecentStories recent, ILogger<SubscriberUpkeep> logger)
{
    /// <summary>The private chats among these outcomes that Telegram refused for good: a pure reading of the outcomes.</summary>
    public static IReadOnlyList<long> Refused(IEnumerable<DeliveryOutcome> outcomes) =>
        [.. outcomes.Where(o => o.ChatUnusable && Subscriber.ChatOf(o.ChannelId) is not null).Select(o => Subscriber.ChatOf(o.ChannelId)!.Value).Distinct().Order()];

    /// <summary>The outcomes of channels the editors run: what channel health and its messages to editors may see.</summary>
    public static IReadOnlyList<DeliveryOutcome> ChannelsOnly(IReadOnlyList<DeliveryOutcome> outcomes) =>
        [.. outcomes.Where(o => Subscriber.ChatOf(o.ChannelId) is null)];

    /// <summary>Unsubscribes each person whose chat was refused for good; returns how many.</summary>
    public async Task<int> AfterDeliveryAsync(IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken cancellationToken)
    {
        var refused = Refused(outcomes);
        foreach (var chatId in refused) await ForgetAsync(chatId, cancellationToken, refused: true);
        if (refused.Count > 0) LogUnsubscribed(refused.Count);
        return refused.Count;
    }

    /// <summary>
    /// Deletes everything kept about a person: the alerts waiting for them, sent to them and set aside, the stories they
    /// were sent, their record and their entry in the index. True when there was anything.
    /// </summary>
    public async Task<bool> ForgetAsync(long chatId, CancellationToken cancellationToken, bool refused = false)
    {
        var channel = Subscriber.ChannelFor(chatId);
        var traces = await outbox.ForgetChannelAsync(channel, cancellationToken) + (await recent.ForgetAsync(channel, cancellationToken) ? 1 : 0);
        return await store.DeleteAsync(chatId, cancellationToken, refused) | traces > 0;
    }

    [LoggerMessage(LogLevel.Information, "Unsubscribed the people whose chats Telegram refuses for good (the bot was blocked or the account deleted): {Count}; everything kept about them was deleted")]
    partial void LogUnsubscribed(int count);
}
