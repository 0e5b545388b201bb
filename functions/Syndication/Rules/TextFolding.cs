using System.Globalization;
using System.Text;

namespace Syndication.Rules;

/// <summary>
/// How characters take part in matching, decided once per UTF-16 code unit: separators end a word; ignorables (combining
/// accents, zero-width joiners, the Arabic tatweel) vanish without ending it; standalone characters (Han, kana, Thai and
/// other scripts written without spaces) are words of their own; everything else is folded to its unaccented base letter,
/// in lower case for case-insensitive matching.
/// </summary>
static class TextFolding
{
    public const byte Separator = 0, Ignorable = 1, Word = 2, Standalone = 3, Surrogate = 4;

    public static readonly byte[] Kind = new byte[char.MaxValue + 1];
    public static readonly char[] Lower = new char[char.MaxValue + 1];
    public static readonly char[] Exact = new char[char.MaxValue + 1];

    static TextFolding()
    {
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var kind = KindOf(c);
            Kind[i] = kind;
            if (kind is Word or Standalone)
            {
                var baseLetter = BaseLetter(c);
                Exact[i] = baseLetter;
                Lower[i] = char.ToLowerInvariant(baseLetter);
            }
        }
        Lower['ς'] = 'σ'; // Greek final sigma is the same letter
    }

    static byte KindOf(char c)
    {
        if (char.IsSurrogate(c)) return Surrogate;
        if (c == '\u0640') return Ignorable; // Arabic tatweel only stretches a word
        switch (char.GetUnicodeCategory(c))
        {
            case UnicodeCategory.NonSpacingMark:
            case UnicodeCategory.EnclosingMark:
            case UnicodeCategory.Format: // ZWNJ and ZWJ inside Urdu and Persian words, soft hyphens
                return Ignorable;
            case UnicodeCategory.UppercaseLetter:
            case UnicodeCategory.LowercaseLetter:
            case UnicodeCategory.TitlecaseLetter:
            case UnicodeCategory.ModifierLetter:
            case UnicodeCategory.OtherLetter:
            case UnicodeCategory.SpacingCombiningMark:
            case UnicodeCategory.DecimalDigitNumber:
            case UnicodeCategory.LetterNumber:
            case UnicodeCategory.OtherNumber:
                return IsUnspacedScript(c) ? Standalone : Word;
            default:
                return Separator;
        }
    }

    /// <summary>Scripts written without spaces between words: each character is matched as a word of its own.</summary>
    static bool IsUnspacedScript(char c) =>
        c is >= '\u0E00' and <= '\u0EFF'      // Thai, Lao
        or >= '\u1000' and <= '\u109F'        // Myanmar
        or >= '\u1780' and <= '\u17FF'        // Khmer
        or >= '\u3040' and <= '\u30FF'        // Hiragana, Katakana
        or >= '\u3400' and <= '\u4DBF'        // CJK Extension A
        or >= '\u4E00' and <= '\u9FFF'        // CJK Unified Ideographs
        or >= '\uF900' and <= '\uFAFF';       // CJK Compatibility Ideographs

    /// <summary>The first character of the canonical decomposition: <c>ü</c> becomes <c>u</c>, <c>آ</c> becomes <c>ا</c>.</summary>
    static char BaseLetter(char c)
    {
        if (c < 0x80) return c;
        var decomposed = c.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 0 && KindOf(decomposed[0]) is Word or Standalone ? decomposed[0] : c;
    }
}
