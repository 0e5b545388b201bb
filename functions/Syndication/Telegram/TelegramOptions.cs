using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Syndication.Hosting;

namespace Syndication.Telegram;

/// <summary>Settings under <c>Telegram__*</c>.</summary>
public sealed partial class TelegramOptions : IValidatableObject
{
    public const string Section = "Telegram";

    /// <summary>The token from @BotFather. Required unless running dry; never logged, and never part of an error message.</summary>
    [RequiredSetting]
    public string? BotToken { get; set; }

    /// <summary>A self-hosted Bot API server (https://github.com/tdlib/telegram-bot-api); only its scheme, host and port are used.</summary>
    public string? ApiBaseUrl { get; set; }

    /// <summary>
    /// A send must end while its channel's lease is surely still held (60 s, renewed right before the send, trusted for
    /// 50 s), so that no other run can take the channel over and send the same alert meanwhile.
    /// </summary>
    [Range(1, 45)]
    public int TimeoutSeconds { get; set; } = 30;

    public bool HasToken => !string.IsNullOrWhiteSpace(BotToken);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasToken && !TokenShape().IsMatch(BotToken!))
            yield return new ValidationResult(
                "Telegram__BotToken does not look like a bot token (digits, a colon, then letters, digits, '-' or '_'); copy it again from @BotFather.",
                [nameof(BotToken)]);
        if (!string.IsNullOrWhiteSpace(ApiBaseUrl)
            && !(Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            yield return new ValidationResult($"Telegram__ApiBaseUrl '{ApiBaseUrl}' is not an absolute http:// or https:// URL.", [nameof(ApiBaseUrl)]);
        else if (Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var plain) && plain.Scheme == Uri.UriSchemeHttp && !plain.IsLoopback)
            // The token is part of every request's path: over plain http anyone on the way reads it.
            yield return new ValidationResult(
                $"Telegram__ApiBaseUrl '{plain.GetLeftPart(UriPartial.Authority)}' is plain http: the bot token would cross the network in clear. Use https (plain http is allowed only to 127.0.0.1 or localhost).",
                [nameof(ApiBaseUrl)]);
    }

    [GeneratedRegex(@"^[0-9]+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();
}
