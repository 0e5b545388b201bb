using System.Globalization;
using System.Text;

namespace Syndication.Syntax;

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

    /// <summary>For a Cyrillic or Greek capital whose small letter is no look-alike (Ε, М): its Latin letter, used in a word with Latin letters; else 0.</summary>
    public static readonly char[] LatinLower = new char[char.MaxValue + 1];

    static TextFolding()
    {
        foreach (var entry in LatinConfusables.Table.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var codePoint = int.Parse(entry.AsSpan(0, entry.Length - 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            if (codePoint <= char.MaxValue) LatinLookAlike[(char)codePoint] = entry[^1];
            else Supplementary[codePoint] = (entry[^1], char.ToLowerInvariant(entry[^1]));
        }
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            var kind = KindOf(c);
            Kind[i] = kind;
            if (kind is Word or Standalone)
            {
                Exact[i] = Fold(c);
                // Ignoring case, a look-alike is its Latin letter in lower case, whatever its own case (Cherokee Ꭺ is a,
                // though its small form is no look-alike; Greek Ε is e, though ε is not); other letters are lowered first.
                // Cyrillic and Greek capitals are lowered first instead, so a rule in those scripts matches its capitals (М
                // folds as м does); in a word with Latin letters they are read as their look-alike (LatinLower), since
                // there they can only be a disguise.
                var folded = Fold(c);
                var lowered = char.ToLowerInvariant(Fold(char.ToLowerInvariant(c)));
                var latinLower = char.IsAscii(folded) ? char.ToLowerInvariant(folded) : lowered;
                var ownScript = char.IsUpper(c) && c is >= '\u0370' and <= '\u04FF';
                Lower[i] = ownScript ? lowered : latinLower;
                if (ownScript && lowered != latinLower) LatinLower[i] = latinLower;
            }
        }
        Lower['ς'] = Lower['σ']; // Greek final sigma is the same letter

        // Look-alikes: Cyrillic and Greek letters drawn exactly like Latin ones are read as those Latin letters, so that
        // "сricket" with a Cyrillic с is still "cricket" to a noneOf (UTS #39 confusables, the letters that matter here).
        // Terms are folded the same way, so rules written in Cyrillic or Greek still match their own script.
        // Ignoring case, a capital folds as its small letter does (Cyrillic М as м, not as Latin m), so both cases agree.
        foreach (var (from, to) in Confusables)
            Exact[from] = to;
        foreach (var (from, to) in Confusables.Where(c => char.IsLower(c.From)))
            Lower[from] = to;
    }

    /// <summary>UTS #39's Latin targets of other scripts' letters (<see cref="LatinConfusables"/>), within the BMP.</summary>
    static readonly Dictionary<char, char> LatinLookAlike = [];

    /// <summary>Letters beyond the BMP that fold to one Latin letter (mathematical bold <c>𝐜</c>, Warang Citi, Deseret), exact and lowered.</summary>
    public static readonly Dictionary<int, (char Exact, char Lower)> Supplementary = [];

    /// <summary>
    /// A digit of any script as its ASCII digit (<c>۲</c>, <c>٢</c> and <c>2</c> are one); else a letter's Latin base letter
    /// (ü, Ｃ), else its Latin look-alike, else its base letter's, else its base letter, in the form Urdu writes it
    /// (<see cref="UrduForm"/>).
    /// </summary>
    static char Fold(char c)
    {
        if (char.GetUnicodeCategory(c) == UnicodeCategory.DecimalDigitNumber && char.GetNumericValue(c) is >= 0 and <= 9 and var digit)
            return (char)('0' + (int)digit);
        var baseLetter = BaseLetter(c);
        if (char.IsAscii(baseLetter)) return baseLetter;
        if (LatinLookAlike.TryGetValue(c, out var latin)) return latin;
        return LatinLookAlike.TryGetValue(baseLetter, out latin) ? latin : UrduForm(baseLetter);
    }

    /// <summary>
    /// Arabic-script letters that are one letter in Urdu and Persian but have two code points, because text is typed from
    /// Arabic keyboards as well as Urdu and Persian ones: each is read as the form Urdu writes. The decisions, each checked
    /// against urduhack's normalisation table (<c>tests/…/testdata/urdu-normalization</c>, held by
    /// <c>UrduFoldingTests</c>) and Unicode's Arabic block notes:
    /// <list type="bullet">
    /// <item>Arabic yeh <c>ي</c> (U+064A) and alef maksura <c>ى</c> (U+0649) are Farsi yeh <c>ی</c> (U+06CC): Unicode names
    /// U+06CC the yeh of Persian and Urdu, and search engines fold alef maksura into yeh for Arabic too (Lucene's
    /// ArabicNormalizer). Yeh barree <c>ے</c> (U+06D2) is another letter, an ending, and stays apart.</item>
    /// <item>Arabic kaf <c>ك</c> (U+0643) is keheh <c>ک</c> (U+06A9), the kaf of Persian and Urdu.</item>
    /// <item>Arabic heh <c>ه</c> (U+0647) is heh goal <c>ہ</c> (U+06C1), Urdu's heh. Heh doachashmee <c>ھ</c> (U+06BE)
    /// marks aspiration (<c>بھ</c> is bh, <c>بہ</c> is b-h): another letter, and it stays apart.</item>
    /// <item>Teh marbuta <c>ة</c> (U+0629) is teh marbuta goal <c>ۃ</c> (U+06C3), its Urdu form.</item>
    /// </list>
    /// Hamza and madda are marks (<c>ئ</c> is <c>ی</c>, <c>أ</c> and <c>آ</c> are <c>ا</c>), as the decomposition says, so
    /// the variants <c>لئے</c> and <c>لیے</c> are one word; diacritics (zabar, zer, pesh, tashdeed) are marks and vanish.
    /// </summary>
    static char UrduForm(char c) => c switch
    {
        '\u064A' or '\u0649' => '\u06CC',
        '\u0643' => '\u06A9',
        '\u0647' => '\u06C1',
        '\u0629' => '\u06C3',
        _ => c,
    };

    /// <summary>
    /// A whole text folded as matching folds it, ignoring case: accents and marks dropped, letters lowered to their base
    /// and look-alikes read as Latin (<c>Zürich</c> is <c>zurich</c>), everything else kept. For making ids from names, not
    /// for matching, which goes word by word (<see cref="WordTokens"/>).
    /// </summary>
    public static string Folded(string text)
    {
        var folded = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var kind = Kind[c];
            if (kind == Ignorable) continue;
            folded.Append(kind is Word or Standalone ? Lower[c] : c);
        }
        return folded.ToString();
    }

    /// <summary>
    /// Code points with no look and no meaning inside a word, which would otherwise split or disguise it: Unicode's
    /// Default_Ignorable_Code_Point set (the Hangul fillers, which are letters by category, variation selectors, tag
    /// characters, bidi controls), read as ignorables.
    /// </summary>
    public static bool DefaultIgnorable(int c) =>
        c is 0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFEFF or 0xFFA0
        or >= 0x180B and <= 0x180F or >= 0x200B and <= 0x200F or >= 0x202A and <= 0x202E or >= 0x2060 and <= 0x206F
        or >= 0xFE00 and <= 0xFE0F or >= 0xFFF0 and <= 0xFFF8 or >= 0x1BCA0 and <= 0x1BCA3 or >= 0x1D173 and <= 0x1D17A
        or >= 0xE0000 and <= 0xE0FFF;

    /// <summary>The ones that matter most in names and words here, kept as before for exact case (UTS #39 reads capital iota as l).</summary>
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
        if (c is '\u0640' or '\uFE73' || DefaultIgnorable(c)) return Ignorable; // Arabic tatweel only stretches a word; its tail fragment is a piece of a glyph
        switch (char.GetUnicodeCategory(c))
        {
            case UnicodeCategory.OtherLetter when SpacedMarks(c): // Arabic presentation forms of harakat alone (ﹰ, ﱞ): marks, whatever their category says
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

    /// <summary>
    /// A presentation form that is only marks on a space or a tatweel (NFKD <c>U+0020</c> or <c>U+0640</c>, then combining
    /// marks): the Arabic presentation forms' harakat, the only such letters (from U+FB50 on, so start-up decomposes few).
    /// </summary>
    static bool SpacedMarks(char c)
    {
        if (c < '\uFB50') return false;
        var decomposed = c.ToString().Normalize(NormalizationForm.FormKD);
        return decomposed.Length > 1 && decomposed[0] is ' ' or '\u0640' && decomposed.Skip(1).All(m => char.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark);
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
