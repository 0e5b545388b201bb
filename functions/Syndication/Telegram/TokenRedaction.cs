using System.Collections.Concurrent;
using System.Text;
using System.Text.RegularExpressions;

namespace Syndication.Telegram;

/// <summary>
/// Removes the bot token from text that may be logged or stored, in every form it travels in. A token is
/// <c>{bot id}:{secret}</c>; the secret is letters, digits, '-' and '_', which URL-encoding, JSON and HTML leave as they are,
/// so removing the secret on its own also removes the token from <c>123%3Asecret</c>, <c>bot123:secret/sendMessage</c> or
/// an escaped error body. Also removed: the secret with any of its characters percent-encoded (<c>%41%42…</c>), the
/// secret in base64 or base64url at any alignment (as in an Authorization header or an echoed request), and a secret cut
/// short: any run of its characters, 12 or more, that begins or ends it.
/// </summary>
public static partial class TokenRedaction
{
    public const string Mask = "***";

    /// <summary>The shortest piece of a secret taken for the secret itself.</summary>
    const int MinPiece = 12;

    static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);

    public static string Redact(string text, string token)
    {
        if (string.IsNullOrEmpty(token)) return text;
        text = text.Replace(token, Mask, StringComparison.Ordinal);
        var colon = token.IndexOf(':');
        var secret = colon >= 0 ? token[(colon + 1)..] : token;
        // A secret too short to be one would mask ordinary words; real ones are 35 characters.
        if (secret.Length < 8) return text;
        text = text.Replace(secret, Mask, StringComparison.OrdinalIgnoreCase);
        if (Patterns.Count > 16) Patterns.Clear();
        text = Patterns.GetOrAdd(secret, Build).Replace(text, Mask);
        return secret.Length < MinPiece ? text : TokenRun().Replace(text, run => Cut(run.Value, secret));
    }

    /// <summary>A run of the token's characters that is a piece of the secret from either end: masked where the piece is.</summary>
    static string Cut(string run, string secret)
    {
        if (run.Length >= MinPiece && secret.Contains(run, StringComparison.OrdinalIgnoreCase)
            && (secret.StartsWith(run, StringComparison.OrdinalIgnoreCase) || secret.EndsWith(run, StringComparison.OrdinalIgnoreCase)))
            return Mask;
        for (var length = Math.Min(run.Length, secret.Length) - 1; length >= MinPiece; length--)
        {
            if (run.EndsWith(secret[..length], StringComparison.OrdinalIgnoreCase)) return run[..^length] + Mask;
            if (run.StartsWith(secret[^length..], StringComparison.OrdinalIgnoreCase)) return Mask + run[length..];
        }
        return run;
    }

    /// <summary>The secret with any character percent-encoded, and its base64 and base64url cores at the three alignments.</summary>
    static Regex Build(string secret)
    {
        var percent = string.Concat(secret.Select(c => $"(?:{Regex.Escape(c.ToString())}|%{(int)c:X2})"));
        var forms = new List<string> { percent };
        var bytes = Encoding.UTF8.GetBytes(secret);
        for (var shift = 0; shift < 3; shift++)
        {
            // Encoded after `shift` other bytes, the characters that depend on the secret alone are the core.
            var encoded = Convert.ToBase64String([.. new byte[shift], .. bytes]);
            var start = (shift * 8 + 5) / 6;
            var end = (shift + bytes.Length) / 3 * 4;
            if (end - start < MinPiece) continue;
            var core = encoded[start..end];
            forms.Add(Regex.Escape(core));
            forms.Add(Regex.Escape(core.Replace('+', '-').Replace('/', '_')));
        }
        return new Regex(string.Join('|', forms), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(200));
    }

    [GeneratedRegex("[A-Za-z0-9_-]+")]
    private static partial Regex TokenRun();
}
