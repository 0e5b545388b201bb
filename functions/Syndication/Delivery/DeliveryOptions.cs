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

    [Range(1, 1000)]
    public int GlobalPerSecond { get; set; } = 30;

    /// <summary>A 429 whose <c>retry_after</c> fits in this is slept through; a longer one defers the alert to a later run.</summary>
    [Range(0, 600)]
    public int MaxWaitSeconds { get; set; } = 30;

    /// <summary>How long a transient failure (5xx, network) is retried before the alert is dead-lettered.</summary>
    [Range(1, 24 * 7)]
    public int RetryForHours { get; set; } = 24;

    [Range(1, 64)]
    public int MaxConcurrentChannels { get; set; } = 8;
}
