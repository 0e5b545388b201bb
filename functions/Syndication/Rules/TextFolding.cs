using System.Globalization;
using System.Text;

namespace Syndication.Rules;

/// <summary>
/// How characters take part in matching, decided once per UTF-16 code unit: separators end a word; ignorables (combining
/// accents, zero-width joiners, the Arabic tatweel) vanish without ending it; standalone characters (Han, kana, Thai and
/// other scripts written without spaces) are words of their own; everything else is folded to its unaccented base letter,
/// in lower case for case-insensitive matching. Compatibility forms (fullwidth letters) and Cyrillic or Greek look-alikes
/// of Latin letters fold to the Latin letter.
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

        // Look-alikes: Cyrillic and Greek letters drawn exactly like Latin ones are read as those Latin letters, so that
        // "сricket" with a Cyrillic с is still "cricket" to a noneOf (UTS #39 confusables, the letters that matter here).
        // Terms are folded the same way, so rules written in Cyrillic or Greek still match their own script.
        // Ignoring case, a capital folds as its small letter does (Cyrillic М as м, not as Latin m), so both cases agree.
        foreach (var (from, to) in Confusables)
            Exact[from] = to;
        foreach (var (from, to) in Confusables.Where(c => char.IsLower(c.From)))
            Lower[from] = to;
        foreach (var (from, _) in Confusables.Where(c => char.IsUpper(c.From)))
            Lower[from] = Lower[char.ToLowerInvariant(from)];
    }

    static readonly (char From, char To)[] Confusables =
    [
        ('а', 'a'), ('е', 'e'), ('о', 'o'), ('р', 'p'), ('с', 'c'), ('у', 'y'), ('х', 'x'), ('і', 'i'), ('ј', 'j'), ('ѕ', 's'), ('ԁ', 'd'), ('һ', 'h'), ('ԛ', 'q'), ('ԝ', 'w'),
        ('А', 'A'), ('В', 'B'), ('Е', 'E'), ('К', 'K'), ('М', 'M'), ('Н', 'H'), ('О', 'O'), ('Р', 'P'), ('С', 'C'), ('Т', 'T'), ('Х', 'X'), ('Ѕ', 'S'), ('І', 'I'), ('Ј', 'J'),
        ('ο', 'o'), ('ν', 'v'), ('ι', 'i'), ('κ', 'k'), ('ρ', 'p'),
        ('Α', 'A'), ('Β', 'B'), ('Ε', 'E'), ('Ζ', 'Z'), ('Η', 'H'), ('Ι', 'I'), ('Κ', 'K'), ('Μ', 'M'), ('Ν', 'N'), ('Ο', 'O'), ('Ρ', 'P'), ('Τ', 'T'), ('Υ', 'Y'), ('Χ', 'X'),
    ];

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

    /// <summary>
    /// The first character of the compatibility decomposition (NFKD): <c>ü</c> becomes <c>u</c>, <c>آ</c> becomes <c>ا</c>,
    /// and the fullwidth <c>Ｃ</c> or the mathematical <c>𝐂</c>-style forms become plain <c>C</c>, so they cannot dodge a term.
    /// </summary>
    static char BaseLetter(char c)
    {
        if (c < 0x80) return c;
        var decomposed = c.ToString().Normalize(NormalizationForm.FormKD);
        return decomposed.Length > 0 && KindOf(decomposed[0]) is Word or Standalone ? decomposed[0] : c;
    }
}
