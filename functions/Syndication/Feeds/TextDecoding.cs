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

        // Unlabelled seven-bit text with ISO-2022-JP's escapes into JIS X 0208 (ESC $ B, ESC $ @) is ISO-2022-JP, as
        // feedparser's detection reads it: read as UTF-8, the escapes would be left in and the Japanese lost.
        if (label is null && utf8 is not null && Iso2022JpEscape(content)) return Encoding.GetEncoding(50220).GetString(content);
        if (named is null or UTF8Encoding)
            return utf8 ?? (second is { } other && Lookup(other.Trim('"', '\'', ' ')) is { } alternative and not UTF8Encoding ? alternative : Windows1252).GetString(content);
        if (named.IsSingleByte && utf8 is not null && utf8.Any(c => c > '\u007f'))
            return utf8;
        return named.GetString(content);
    }

    static Encoding Windows1252 => Encoding.GetEncoding(1252);

    static bool Iso2022JpEscape(byte[] content)
    {
        for (var i = 0; i + 2 < content.Length; i++)
            if (content[i] == 0x1B && content[i + 1] == (byte)'$' && content[i + 2] is (byte)'B' or (byte)'@') return true;
        return false;
    }

    static Encoding? Lookup(string label)
    {
        label = label.Trim().ToLowerInvariant();
        if (Windows1252Labels.Contains(label)) return Windows1252;
        // Python's names and aliases, which feeds also use (feedparser reads them): cp1251 is windows-1251, 850 and
        // cspc850multilingual are IBM 850, ebcdic-cp-us is EBCDIC 037, maclatin2 is Mac Central European.
        var python = label.Replace('-', '_').Replace(' ', '_');
        if (python is "cp1125" or "1125" or "ibm1125" or "cp866u" or "ruscii") return UpperHalfEncoding.Cp1125;
        if (python is "koi8_t") return UpperHalfEncoding.Koi8T;
        if (python is "cp856") return UpperHalfEncoding.Cp856;
        if (PythonAliases.TryGetValue(python, out var aliased)) return ByPage(aliased);
        if (CodePageLabel().Match(python) is { Success: true } numbered && int.TryParse(numbered.Groups["page"].Value, out var page))
            return ByPage(page) ?? Named($"ibm{page}");
        return Named(label) ?? Named(label.Replace('_', '-'));

        static Encoding? ByPage(int page)
        {
            try
            {
                return Encoding.GetEncoding(page);
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException) // a code page .NET does not carry (cp1125, koi8-t)
            {
                return null;
            }
        }

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

    /// <summary>Python's aliases (<c>encodings.aliases</c>) of the code pages feeds are labelled with, by code page.</summary>
    static readonly Dictionary<string, int> PythonAliases = new(StringComparer.Ordinal)
    {
        ["csibm037"] = 37, ["ebcdic_cp_ca"] = 37, ["ebcdic_cp_nl"] = 37, ["ebcdic_cp_us"] = 37, ["ebcdic_cp_wt"] = 37, ["ibm039"] = 37,
        ["csibm500"] = 500, ["ebcdic_cp_be"] = 500, ["ebcdic_cp_ch"] = 500,
        ["cspc8codepage437"] = 437, ["cspc775baltic"] = 775, ["cspc850multilingual"] = 850, ["cspcp852"] = 852, ["cspc862latinhebrew"] = 862,
        ["csibm855"] = 855, ["csibm857"] = 857, ["csibm860"] = 860, ["csibm861"] = 861, ["cp_is"] = 861, ["csibm863"] = 863, ["csibm864"] = 864,
        ["csibm865"] = 865, ["csibm866"] = 866, ["cskoi8r"] = 20866, ["koi8_r"] = 20866, ["koi8_u"] = 21866,
        ["macintosh"] = 10000, ["macroman"] = 10000, ["mac_roman"] = 10000, ["maclatin2"] = 10029, ["mac_latin2"] = 10029, ["maccentraleurope"] = 10029,
        ["mac_centeuro"] = 10029, ["maccyrillic"] = 10007, ["mac_cyrillic"] = 10007, ["macgreek"] = 10006, ["mac_greek"] = 10006,
        ["maciceland"] = 10079, ["mac_iceland"] = 10079, ["macturkish"] = 10081, ["mac_turkish"] = 10081,
    };

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

    /// <summary>
    /// The <c>encoding="…"</c> of an XML declaration at the very start, if any. A declaration written in EBCDIC (its first
    /// bytes <c>4C 6F A7 94</c>, XML 1.0 Appendix F.1) is read in EBCDIC 037, whose letters every EBCDIC page shares; without
    /// a label it is EBCDIC 037, as feedparser reads it.
    /// </summary>
    public static string? XmlDeclared(byte[] content)
    {
        var ebcdic = content is [0x4C, 0x6F, 0xA7, 0x94, ..];
        var head = (ebcdic ? Encoding.GetEncoding(37) : Encoding.ASCII).GetString(content, 0, Math.Min(content.Length, 200));
        if (!head.StartsWith("<?xml", StringComparison.Ordinal)) return null;
        return Label(head) ?? (ebcdic ? "cp037" : null);
    }

    static string? Label(string head)
    {
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

    [GeneratedRegex(@"^(?:cp|ibm|csibm)?0*(?<page>\d{3,5})$")]
    private static partial Regex CodePageLabel();

    [GeneratedRegex(@"<meta\b[^>]*?\bcharset\s*=\s*[""']?(?<charset>[A-Za-z0-9_:.-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex MetaCharset();
}
