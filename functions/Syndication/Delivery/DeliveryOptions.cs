using System.ComponentModel.DataAnnotations;

namespace Syndication.Delivery;

/// <summary>
/// Settings under <c>Delivery__*</c>. The defaults follow Telegram's Bots FAQ: about one message a second per chat, at most
/// 20 a minute to a group or channel, and about 30 a second overall (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
/// </summary>
public sealed class DeliveryOptions
{
    public const string Section = "Delivery";

    /// <summary>Pace sends to Telegram's limits. Turn off only for a self-hosted Bot API server without limits.</summary>
    public bool Pace { get; set; } = true;

    [Range(0, 60_000)]
    public int PerChatIntervalMilliseconds { get; set; } = 1000;

    [Range(1, 1000)]
    public int PerChatPerMinute { get; set; } = 20;

    /// <summary>
    /// Room left for what happens between this process starting a send and Telegram receiving it (thread scheduling, the
    /// network): sends that really started are kept this much further apart than the limits, so that a send that left
    /// late and the next one on time still arrive within them.
    /// </summary>
    [Range(0, 1000)]
    public int PacingMarginMilliseconds { get; set; } = 50;

    [Range(1, 1000)]
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>A 429 whose <c>retry_after</c> fits in this is slept through; a longer one defers the alert to a later run.</summary>
    [Range(0, 600)]
    public int MaxWaitSeconds { get; set; } = 30;

    /// <summary>How long a transient failure (5xx, network) is retried before the alert is dead-lettered.</summary>
    [Range(1, 24 * 7)]
    public int RetryForHours { get; set; } = 24;

    /// <summary>
    /// Channels drained at once. A channel waiting out its own pacing (1 s, 20 a minute) holds no thread, only its
    /// place here, so this is set well above what the bot-wide limit (30 a second) needs: 30 chats sending at 1 a second.
    /// </summary>
    [Range(1, 1000)]
    public int MaxConcurrentChannels { get; set; } = 100;
}
