using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Syndication.Pages;

/// <summary>Who opened the editors' page, as Telegram signed it, or why the launch data is refused.</summary>
public abstract record PageAuth
{
    /// <summary>A Telegram user, as Telegram signed it at <see cref="SignedAt"/>.</summary>
    public sealed record Signed(long User, string Name, DateTimeOffset SignedAt) : PageAuth;

    public sealed record Refused(string Why) : PageAuth;
}

/// <summary>
/// Checks a Mini App's launch data (<c>initData</c>) as Telegram's Mini Apps documentation specifies
/// (<see href="https://core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app"/>): every field but
/// <c>hash</c>, as <c>key=value</c> lines sorted by key, signed with HMAC-SHA256 under a key that is itself
/// HMAC-SHA256("WebAppData", bot token). Data older than an hour, or signed in the future, is refused. Pure: the token
/// and the time are given, and nothing of either is ever written into a refusal.
/// </summary>
public static class MiniAppAuth
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromHours(1);

    /// <summary>Longer launch data than Telegram ever sends is refused before it is read.</summary>
    public const int MaxLength = 8 * 1024;

    static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(5);

    public static PageAuth Check(string? initData, string? botToken, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(botToken)) return new PageAuth.Refused("the page cannot check who you are: Telegram__BotToken is not set");
        if (string.IsNullOrWhiteSpace(initData)) return new PageAuth.Refused("no Telegram launch data: open this page from the bot's menu button in Telegram");
        if (initData.Length > MaxLength) return new PageAuth.Refused($"the launch data is {initData.Length:N0} characters; Telegram's are far shorter");

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in initData.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=');
            var key = WebUtility.UrlDecode(equals < 0 ? pair : pair[..equals]);
            if (!fields.TryAdd(key, WebUtility.UrlDecode(equals < 0 ? "" : pair[(equals + 1)..])))
                return new PageAuth.Refused($"the launch data names '{key}' twice");
        }
        if (!fields.Remove("hash", out var hash) || hash.Length != 64 || !hash.All(Uri.IsHexDigit))
            return new PageAuth.Refused("the launch data is not signed (no hash)");

        var checkString = string.Join('\n', fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}={f.Value}"));
        var secret = HMACSHA256.HashData("WebAppData"u8, Encoding.UTF8.GetBytes(botToken));
        var expected = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes(checkString));
        if (!CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(hash)))
            return new PageAuth.Refused("the launch data's signature is not this bot's: open the page from this bot in Telegram");

        if (!fields.TryGetValue("auth_date", out var dateText) || !long.TryParse(dateText, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return new PageAuth.Refused("the launch data has no auth_date");
        var signedAt = DateTimeOffset.FromUnixTimeSeconds(Math.Min(seconds, 253_402_300_799));
        if (now - signedAt > MaxAge)
            return new PageAuth.Refused($"the launch data was signed {(int)(now - signedAt).TotalMinutes} minutes ago, and at most {MaxAge.TotalMinutes:0} are accepted: close the page and open it again from Telegram");
        if (signedAt - now > ClockSkew) return new PageAuth.Refused("the launch data is signed in the future: check this machine's clock");

        if (!fields.TryGetValue("user", out var userJson)) return new PageAuth.Refused("the launch data names no user");
        try
        {
            using var user = JsonDocument.Parse(userJson);
            var id = user.RootElement.GetProperty("id").GetInt64();
            var name = string.Join(' ', new[] { "first_name", "last_name" }
                .Select(p => user.RootElement.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).OfType<string>());
            return new PageAuth.Signed(id, name.Length > 0 ? name : id.ToString(CultureInfo.InvariantCulture), signedAt);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return new PageAuth.Refused("the launch data's user is not a Telegram user");
        }
    }
}
