namespace Syndication.Telegram;

/// <summary>
/// A send that Telegram refused or that never reached it. The message is Telegram's description or the network reason;
/// it never contains the bot token, so it is safe to log and to store.
/// </summary>
public sealed class TelegramSendException(string message, int? errorCode, bool networkFailure) : Exception(message)
{
    /// <summary>The Bot API's <c>error_code</c>, when Telegram answered.</summary>
    public int? ErrorCode { get; } = errorCode;

    /// <summary>True when Telegram could not be reached at all (DNS, connection, timeout).</summary>
    public bool NetworkFailure { get; } = networkFailure;
}
