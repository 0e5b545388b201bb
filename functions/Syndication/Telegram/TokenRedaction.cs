namespace Syndication.Telegram;

/// <summary>
/// Removes the bot token from text that may be logged or stored, in every form it travels in. A token is
/// <c>{bot id}:{secret}</c>; the secret is letters, digits, '-' and '_', which URL-encoding, JSON and HTML leave as they are,
/// so removing the secret on its own also removes the token from <c>123%3Asecret</c>, <c>bot123:secret/sendMessage</c> or
/// an escaped error body.
/// </summary>
public static class TokenRedaction
{
    public const string Mask = "***";

    public static string Redact(string text, string token)
    {
        if (string.IsNullOrEmpty(token)) return text;
        text = text.Replace(token, Mask, StringComparison.Ordinal);
        var colon = token.IndexOf(':');
        var secret = colon >= 0 ? token[(colon + 1)..] : token;
        // A secret too short to be one would mask ordinary words; real ones are 35 characters.
        return secret.Length >= 8 ? text.Replace(secret, Mask, StringComparison.OrdinalIgnoreCase) : text;
    }
}
