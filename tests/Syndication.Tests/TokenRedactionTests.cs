using System.Text;
using Syndication.Telegram;

namespace Syndication.Tests;

/// <summary>The bot token is taken out of any text that may be logged or stored, in every form it travels in. Pure.</summary>
public sealed class TokenRedactionTests
{
    const string Token = "4242:FAKE-ForRedactionTests_only";
    const string Secret = "FAKE-ForRedactionTests_only";

    public static TheoryData<string, string> Echoes => new()
    {
        { $"POST /bot{Token}/sendMessage", "as it is" },
        { $"/bot4242%3A{Secret}/getMe", "with its colon encoded" },
        { "/bot" + string.Concat(Token.Select(c => $"%{(int)c:X2}")) + "/getMe", "fully percent-encoded" },
        { "/bot" + string.Concat(Token.Select(c => $"%{(int)c:x2}")) + "/getMe", "fully percent-encoded, lower case" },
        { "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bot:" + Token)), "in base64" },
        { "echo=" + Convert.ToBase64String(Encoding.UTF8.GetBytes(Token)), "in base64 at the start" },
        { "echo=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + Token + "y")).Replace('+', '-').Replace('/', '_'), "in base64url" },
        { $"request to https://api.telegram.org/bot4242:{Secret[..20]}… failed", "cut short" },
        { $"…{Secret[^16..]}/sendMessage failed", "its end only" },
    };

    // Before: every form but the first two reached the logs as it was.
    [Theory]
    [MemberData(nameof(Echoes))]
    public void The_secret_is_masked_in_every_form_it_is_echoed_in(string echoed, string how)
    {
        var redacted = TokenRedaction.Redact(echoed, Token);

        Assert.Contains(TokenRedaction.Mask, redacted);
        Assert.DoesNotContain(Secret[..12], Decoded(redacted), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Secret[^12..], Decoded(redacted), StringComparison.OrdinalIgnoreCase);
        _ = how;
    }

    [Fact]
    public void Ordinary_text_is_left_alone()
    {
        const string text = "Kayani balks at US demands: https://www.pakistantoday.com.pk/2011/05/14/kayani-balks/ ID 123456789";
        Assert.Equal(text, TokenRedaction.Redact(text, Token));
    }

    /// <summary>What a reader could recover: percent-decoded, and every base64 run decoded at each alignment.</summary>
    static string Decoded(string text)
    {
        var all = new StringBuilder(Uri.UnescapeDataString(text));
        foreach (System.Text.RegularExpressions.Match run in System.Text.RegularExpressions.Regex.Matches(text, "[A-Za-z0-9+/_-]{8,}={0,2}"))
            for (var skip = 0; skip < 4; skip++)
            {
                var part = run.Value[skip..].Replace('-', '+').Replace('_', '/').TrimEnd('=');
                part = part[..(part.Length / 4 * 4)];
                try { all.Append('\n').Append(Encoding.Latin1.GetString(Convert.FromBase64String(part))); } catch (FormatException) { }
            }
        return all.ToString();
    }
}
