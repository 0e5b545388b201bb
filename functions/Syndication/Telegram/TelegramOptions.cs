using System.ComponentModel.DataAnnotations;

namespace Syndication.Telegram;

/// <summary>Settings under <c>Telegram__*</c>.</summary>
public sealed class TelegramOptions
{
    public const string Section = "Telegram";

    /// <summary>The token from @BotFather. Required unless running dry; never logged.</summary>
    public string? BotToken { get; set; }

    /// <summary>A self-hosted Bot API server (https://github.com/tdlib/telegram-bot-api); only its scheme, host and port are used.</summary>
    [Url]
    public string? ApiBaseUrl { get; set; }

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 30;
}
