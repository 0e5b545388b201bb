using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Syndication.Editing;

/// <summary>A command as an editor typed it: <c>/add kayani "army chief" ISI</c> → <c>add</c>, [<c>kayani</c>, <c>army chief</c>, <c>ISI</c>].</summary>
public sealed partial record CommandText(string Name, IReadOnlyList<string> Arguments)
{
    /// <summary>The bot the command names (<c>/rules@syndication_bot</c>, as Telegram writes it in groups); null when it names none.</summary>
    public string? Bot { get; init; }

    /// <summary>Everything after the command's name, as typed (quotes kept): for a command that reads its own syntax.</summary>
    public string Rest { get; init; } = "";

    /// <summary>The longest term a command may add, as in the configuration.</summary>
    public const int MaxTermLength = 200;

    /// <summary>
    /// Reads a command: a leading <c>/name</c> (with the <c>@BotName</c> suffix Telegram writes in groups in <see cref="Bot"/>),
    /// then words; a phrase is written in straight or curly double quotes. Null when the text is not a command.
    /// </summary>
    public static CommandText? Parse(string text)
    {
        // Bidi embeddings, overrides and isolates carry no meaning in a term and would turn it around where it is shown
        // (/rule, /history): they go. The marks Urdu text uses (U+200E, U+200F) stay.
        text = BidiControls().Replace(text, "").Trim();
        if (text.Length < 2 || text[0] != '/') return null;
        var end = text.IndexOfAny([' ', '\n', '\t']);
        var head = end < 0 ? text[1..] : text[1..end];
        var at = head.IndexOf('@');
        var name = (at < 0 ? head : head[..at]).ToLowerInvariant();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return null;
        return new(name, end < 0 ? [] : Split(text[end..])) { Bot = at < 0 ? null : head[(at + 1)..], Rest = end < 0 ? "" : text[(end + 1)..].Trim() };
    }

    /// <summary>Words, and phrases in quotes ("…" or “…”), in order.</summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        char? closing = null;
        foreach (var c in text)
        {
            if (closing is { } close)
            {
                if (c == close || close == '"' && c is '”' or '“') { words.Add(word.ToString().Trim()); word.Clear(); closing = null; }
                else word.Append(c);
            }
            else if (c is '"' or '“' && word.Length == 0) closing = c == '“' ? '”' : '"';
            else if (char.IsWhiteSpace(c)) Flush();
            else word.Append(c);
        }
        Flush();
        return [.. words.Where(w => w.Length > 0)];

        void Flush()
        {
            if (word.Length > 0) words.Add(word.ToString());
            word.Clear();
        }
    }

    [GeneratedRegex("[\u202A-\u202E\u2066-\u2069]")]
    private static partial Regex BidiControls();

    /// <summary>"30m", "6h", "2d", "1w": how long to pause for, from 1 minute to 90 days. Null when it is not one.</summary>
    public static TimeSpan? Duration(string text)
    {
        var match = Regex.Match(text, @"^(\d{1,4})(m|min|h|d|w)$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
        if (!match.Success) return null;
        var n = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var span = match.Groups[2].Value.ToLowerInvariant() switch
        {
            "m" or "min" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            "d" => TimeSpan.FromDays(n),
            _ => TimeSpan.FromDays(7 * n),
        };
        return span >= TimeSpan.FromMinutes(1) && span <= TimeSpan.FromDays(90) ? span : null;
    }
}
