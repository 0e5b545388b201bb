using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// Telegram's launch data for a Mini App, signed as Telegram signs it (core.telegram.org/bots/webapps, "Validating data
/// received via the Mini App"), written here from the documentation rather than from the app's own checker.
/// </summary>
static class MiniAppLaunch
{
    public static string Sign(long user, string firstName, DateTimeOffset signedAt, string token = FakeBotApi.Token, string? forgeHash = null)
    {
        var fields = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["auth_date"] = signedAt.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["query_id"] = "AAHdF6IQAAAAAN0XohDhrOrc",
            ["user"] = $$"""{"id":{{user}},"first_name":"{{firstName}}","language_code":"en","allows_write_to_pm":true}""",
        };
        var check = string.Join("\n", fields.Select(f => $"{f.Key}={f.Value}"));
        using var keyed = new HMACSHA256(Encoding.UTF8.GetBytes("WebAppData"));
        var secret = keyed.ComputeHash(Encoding.UTF8.GetBytes(token));
        using var signer = new HMACSHA256(secret);
        var hash = forgeHash ?? Convert.ToHexStringLower(signer.ComputeHash(Encoding.UTF8.GetBytes(check)));
        return string.Join("&", fields.Select(f => $"{f.Key}={WebUtility.UrlEncode(f.Value)}")) + "&hash=" + hash;
    }
}
