using System.Text;
using System.Text.RegularExpressions;

namespace Syndication.Feeds;

/// <summary>The one decoder of fetched bytes, for feeds and article pages alike.</summary>
public static partial class TextDecoding
{
    static TextDecoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance); // windows-1252 and friends

    /// <summary>UTF-8 that refuses bytes that are not UTF-8, instead of reading them as U+FFFD.</summary>
    internal static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Decodes bytes the way a careful reader does: a byte-order mark wins, then the <paramref name="first"/> label, then
    /// the <paramref name="second"/>, then UTF-8. For a feed the first is its XML declaration and the second the HTTP
    /// charset (FeedReader alone ignores the header); for a page the first is the HTTP charset and the second its
    /// <c>&lt;meta charset&gt;</c>, as browsers read them. Two common mislabellings are corrected: bytes that are valid
    /// multi-byte UTF-8 under a single-byte label are read as UTF-8, and bytes that are not UTF-8 under a UTF-8 label are
    /// read as the other label or windows-1252. The text parsed afterwards ignores its own declaration.
    /// </summary>
    public static string Decode(byte[] content, string? first, string? second)
    {
        var bom = Bom(content);
        if (bom is not null) return bom.GetString(content, bom.Preamble.Length, content.Length - bom.Preamble.Length);
        // No byte-order mark, but "<?" in UTF-16 or UTF-32 (XML 1.0 Appendix F.1): no label could be read without this.
        if (WideWithoutBom(content) is { } wide) return wide.GetString(content);

        var label = (first ?? second)?.Trim('"', '\'', ' ');
        var named = label is null ? null : Lookup(label);
        string? utf8 = null;
        try
        {
            utf8 = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
        }

        if (named is null or UTF8Encoding)
            return utf8 ?? (second is { } other && Lookup(other.Trim('"', '\'', ' ')) is { } alternative and not UTF8Encoding ? alternative : Windows1252).GetString(content);
        if (named.IsSingleByte && utf8 is not null && utf8.Any(c => c > '\u007f'))
            return utf8;
        return named.GetString(content);
    }

    static Encoding Windows1252 => Encoding.GetEncoding(1252);

    static Encoding? Lookup(string label)
    {
        label = label.Trim().ToLowerInvariant();
        if (Windows1252Labels.Contains(label)) return Windows1252;
        // Python-style names feeds also use: cp1251 is windows-1251, cp866 is ibm866, euc_jp is euc-jp.
        if (label.StartsWith("cp", StringComparison.Ordinal) && int.TryParse(label[2..], out var page))
            label = page is >= 1250 and <= 1258 ? $"windows-{page}" : $"ibm{page}";
        return Named(label) ?? Named(label.Replace('_', '-'));

        static Encoding? Named(string name)
        {
            try
            {
                return Encoding.GetEncoding(name);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException) // unknown, or retired like utf-7
            {
                return null;
            }
        }
    }

    static Encoding? Bom(byte[] content) => content switch
    {
        [0xEF, 0xBB, 0xBF, ..] => new UTF8Encoding(true),
        [0xFF, 0xFE, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: true),
        [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        [0xFF, 0xFE, ..] => Encoding.Unicode,
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
        _ => null,
    };

    static Encoding? WideWithoutBom(byte[] content) => content switch
    {
        [0x00, 0x00, 0x00, 0x3C, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: false),
        [0x3C, 0x00, 0x00, 0x00, ..] => new UTF32Encoding(bigEndian: false, byteOrderMark: false),
        [0x00, 0x3C, 0x00, 0x3F, ..] => Encoding.BigEndianUnicode,
        [0x3C, 0x00, 0x3F, 0x00, ..] => Encoding.Unicode,
        _ => null,
    };

    /// <summary>
    /// Labels that the WHATWG Encoding Standard decodes as windows-1252, as every browser does: pages labelled Latin-1 or
    /// ASCII are nearly always windows-1252, and reading them as true Latin-1 turns ’ “ ” € into invisible C1 controls.
    /// </summary>
    static readonly HashSet<string> Windows1252Labels =
    [
        "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100", "iso8859-1", "iso88591",
        "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "windows-1252", "x-cp1252",
    ];

    /// <summary>The <c>encoding="…"</c> of an XML declaration at the very start, if any.</summary>
    public static string? XmlDeclared(byte[] content)
    {
        var head = Encoding.ASCII.GetString(content, 0, Math.Min(content.Length, 200));
        if (!head.StartsWith("<?xml", StringComparison.Ordinal)) return null;
        var end = head.IndexOf("?>", StringComparison.Ordinal);
        var declaration = end > 0 ? head[..end] : head;
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0) return null;
        var rest = declaration[(at + "encoding".Length)..].TrimStart(' ', '=', '\t');
        if (rest.Length == 0 || rest[0] is not ('"' or '\'')) return null;
        var close = rest.IndexOf(rest[0], 1);
        return close > 1 ? rest[1..close] : null;
    }

    /// <summary>
    /// The charset a page declares in its first 1,024 bytes (<c>&lt;meta charset="…"&gt;</c>, or
    /// <c>&lt;meta http-equiv="Content-Type" content="text/html; charset=…"&gt;</c>), as the HTML standard's prescan finds it.
    /// </summary>
    public static string? HtmlDeclared(byte[] content)
    {
        var head = Encoding.Latin1.GetString(content, 0, Math.Min(content.Length, 1024));
        return MetaCharset().Match(head) is { Success: true } m ? m.Groups["charset"].Value : null;
    }

    [GeneratedRegex(@"<meta\b[^>]*?\bcharset\s*=\s*[""']?(?<charset>[A-Za-z0-9_:.-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();
}
