namespace Syndication.Telegram;

/// <summary>What a failed send means for the alert.</summary>
public enum SendFailure
{
    /// <summary>5xx, a network error or a timeout: try again later, with backoff.</summary>
    Transient,
    /// <summary>429: Telegram said how long to wait (<c>retry_after</c>).</summary>
    RateLimited,
    /// <summary>The chat cannot receive anything: chat not found, bot kicked or without rights. Retrying will not help.</summary>
    ChatUnusable,
    /// <summary>This message can never be sent: can't parse entities, message too long.</summary>
    MessageRejected,
    /// <summary>The group became a supergroup with a new id (<c>migrate_to_chat_id</c>).</summary>
    Migrated,
    /// <summary>401: the bot token is wrong or revoked. No alert is to blame; the whole run stops.</summary>
    Unauthorized,
}

/// <summary>Telegram refused the bot token (401): nothing can be sent until an operator fixes <c>Telegram__BotToken</c>.</summary>
public sealed class TelegramTokenRefusedException(string detail)
    : Exception($"Telegram refused the bot token ({detail}); set Telegram__BotToken to the token @BotFather gave you. No alert was given up on: they stay queued.");

/// <summary>
/// A send that Telegram refused or that never reached it. The message is Telegram's description or the network reason;
/// it never contains the bot token, so it is safe to log and to store.
/// </summary>
public sealed class TelegramSendException(string message, int? errorCode, SendFailure failure) : Exception(message)
{
    /// <summary>The Bot API's <c>error_code</c>, when Telegram answered.</summary>
    public int? ErrorCode { get; } = errorCode;

    public SendFailure Failure { get; } = failure;

    /// <summary>True when Telegram could not be reached at all (DNS, connection, timeout).</summary>
    public bool NetworkFailure => ErrorCode is null;

    public TimeSpan? RetryAfter { get; init; }

    public long? MigrateToChatId { get; init; }

    /// <summary>The request left but no answer came back (a timeout, a dropped connection): Telegram may have delivered it.</summary>
    public bool Uncertain { get; init; }

    /// <summary>Classifies a Bot API error by its code and description (https://core.telegram.org/bots/api#making-requests).</summary>
    public static SendFailure Classify(int code, string description, bool migrated) => code switch
    {
        _ when migrated => SendFailure.Migrated,
        429 => SendFailure.RateLimited,
        401 => SendFailure.Unauthorized,
        403 => SendFailure.ChatUnusable, // bot was kicked, blocked, or is not a member
        400 when description.Contains("chat not found", StringComparison.OrdinalIgnoreCase)
            || description.Contains("not enough rights", StringComparison.OrdinalIgnoreCase)
            || description.Contains("need administrator rights", StringComparison.OrdinalIgnoreCase)
            || description.Contains("TOPIC_CLOSED", StringComparison.OrdinalIgnoreCase)
            || description.Contains("message thread not found", StringComparison.OrdinalIgnoreCase) => SendFailure.ChatUnusable,
        400 => SendFailure.MessageRejected, // can't parse entities, message is too long, text must be non-empty…
        _ => SendFailure.Transient, // 5xx, and 404 (a wrong server) until an operator fixes the settings
    };
}
