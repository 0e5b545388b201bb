using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Syndication.Primitives;
using Syndication.Settings;

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

    /// <summary>The text with the token taken out, in every form it travels in (<see cref="TokenRedaction"/>).</summary>
    public string Redact(string text) => HasToken ? TokenRedaction.Redact(text, BotToken!) : text;

    /// <summary>
    /// What Telegram sends in <c>X-Telegram-Bot-Api-Secret-Token</c> with every webhook request (1 to 256 of A–Z, a–z,
    /// 0–9, '_' and '-'), so the webhook answers Telegram only. Kept in Key Vault next to the token; never logged.
    /// </summary>
    public string? WebhookSecret { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (HasToken && !TokenShape().IsMatch(BotToken!))
            yield return new ValidationResult(
                "Telegram__BotToken does not look like a bot token (digits, a colon, then letters, digits, '-' or '_'); copy it again from @BotFather.",
                [nameof(BotToken)]);
        if (!string.IsNullOrEmpty(WebhookSecret) && !WebhookSecretShape().IsMatch(WebhookSecret))
            yield return new ValidationResult("Telegram__WebhookSecret must be 1 to 256 characters of A-Z, a-z, 0-9, '_' and '-', as Telegram requires.", [nameof(WebhookSecret)]);
        if (!string.IsNullOrWhiteSpace(ApiBaseUrl)
            && !(Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var uri) && HttpAddresses.IsHttp(uri)))
            yield return new ValidationResult($"Telegram__ApiBaseUrl '{ApiBaseUrl}' is not an absolute http:// or https:// URL.", [nameof(ApiBaseUrl)]);
        else if (Uri.TryCreate(ApiBaseUrl, UriKind.Absolute, out var plain) && plain.Scheme == Uri.UriSchemeHttp && !plain.IsLoopback)
            // The token is part of every request's path: over plain http anyone on the way reads it.
            yield return new ValidationResult(
                $"Telegram__ApiBaseUrl '{plain.GetLeftPart(UriPartial.Authority)}' is plain http: the bot token would cross the network in clear. Use https (plain http is allowed only to 127.0.0.1 or localhost).",
                [nameof(ApiBaseUrl)]);
    }

    [GeneratedRegex(@"^[0-9]+:[A-Za-z0-9_-]+$")]
    private static partial Regex TokenShape();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex WebhookSecretShape();
}
