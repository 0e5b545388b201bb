using System.Buffers;

namespace Syndication.Syntax;

/// <summary>A word of a text: where its folded form sits in the buffer, and where the original sits in the text.</summary>
readonly record struct WordToken(int FoldedStart, int FoldedLength, int Start, int End);

/// <summary>
/// A text split into folded words. Punctuation and whitespace between words are dropped, which is why a phrase matches
/// across line breaks, runs of spaces and punctuation. Rent one, fill it, and return it with <see cref="Dispose"/>.
/// </summary>
sealed class WordTokens : IDisposable
{
    char[] buffer = ArrayPool<char>.Shared.Rent(256);
    WordToken[] tokens = ArrayPool<WordToken>.Shared.Rent(64);

    public int Count { get; private set; }
    public WordToken this[int index] => tokens[index];
    public ReadOnlySpan<char> Folded(int index) => buffer.AsSpan(tokens[index].FoldedStart, tokens[index].FoldedLength);

    public static WordTokens Of(string text, bool caseSensitive)
    {
        var words = new WordTokens();
        words.Fill(text, caseSensitive);
        return words;
    }

    public void Fill(ReadOnlySpan<char> text, bool caseSensitive)
    {
        Count = 0;
        if (buffer.Length < text.Length) Grow(ref buffer, text.Length);
        var fold = caseSensitive ? TextFolding.Exact : TextFolding.Lower;
        var kinds = TextFolding.Kind;
        var length = 0;
        var wordStart = -1; // start of the current word in the buffer, or -1 between words
        var originalStart = 0;
        var lastEnd = 0;
        var latinInWord = false; // the current word has a Latin letter: its Cyrillic and Greek capitals can only be disguises
        var disguises = 0;

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var kind = kinds[c];
            if (kind == TextFolding.Surrogate)
            {
                // Characters beyond the BMP: a Latin look-alike (mathematical bold 𝐜) folds to its letter, other letters
                // are kept as they are, ignorables (tag characters) vanish, and anything else separates words.
                var isPair = i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1]);
                var codePoint = isPair ? char.ConvertToUtf32(c, text[i + 1]) : -1;
                if (isPair && TextFolding.DefaultIgnorable(codePoint))
                {
                    if (wordStart >= 0) lastEnd = i + 2;
                    i++;
                    continue;
                }
                if (isPair && TextFolding.Supplementary.TryGetValue(codePoint, out var latin))
                {
                    if (wordStart < 0) { wordStart = length; originalStart = i; }
                    buffer[length++] = caseSensitive ? latin.Exact : latin.Lower;
                    lastEnd = ++i + 1;
                    continue;
                }
                if (isPair && char.IsLetterOrDigit(text.Slice(i, 2).ToString(), 0))
                {
                    if (wordStart < 0) { wordStart = length; originalStart = i; }
                    buffer[length++] = c;
                    buffer[length++] = text[++i];
                    lastEnd = i + 1;
                    continue;
                }
                kind = TextFolding.Separator;
                if (isPair) i++;
            }

            switch (kind)
            {
                case TextFolding.Word:
                    if (wordStart < 0) { wordStart = length; originalStart = i; latinInWord = false; disguises = 0; }
                    if (!caseSensitive && TextFolding.LatinLower[c] != 0 && disguises < MaxDisguises)
                        (Disguises ??= new (int, char)[MaxDisguises])[disguises++] = (length, TextFolding.LatinLower[c]);
                    latinInWord |= char.IsAsciiLetter(c);
                    buffer[length++] = fold[c];
                    lastEnd = i + 1;
                    break;
                case TextFolding.Ignorable:
                    if (wordStart >= 0) lastEnd = i + 1;
                    break;
                case TextFolding.Standalone:
                    if (wordStart >= 0) EndWord(wordStart, length, originalStart, lastEnd, latinInWord, disguises);
                    buffer[length] = fold[c];
                    Add(length++, 1, i, i + 1);
                    wordStart = -1;
                    break;
                default:
                    if (wordStart >= 0) EndWord(wordStart, length, originalStart, lastEnd, latinInWord, disguises);
                    wordStart = -1;
                    break;
            }
        }
        if (wordStart >= 0) EndWord(wordStart, length, originalStart, lastEnd, latinInWord, disguises);
    }

    /// <summary>Where in the current word a Cyrillic or Greek capital was written, and its Latin reading; made only for text that has one.</summary>
    (int At, char Latin)[]? Disguises;
    const int MaxDisguises = 64;

    void EndWord(int wordStart, int length, int originalStart, int lastEnd, bool latinInWord, int disguises)
    {
        if (latinInWord)
            for (var d = 0; d < disguises; d++) buffer[Disguises![d].At] = Disguises[d].Latin;
        Add(wordStart, length - wordStart, originalStart, lastEnd);
    }

    void Add(int foldedStart, int foldedLength, int start, int end)
    {
        if (Count == tokens.Length) Grow(ref tokens, Count * 2);
        tokens[Count++] = new WordToken(foldedStart, foldedLength, start, end);
    }

    static void Grow<T>(ref T[] array, int atLeast)
    {
        var bigger = ArrayPool<T>.Shared.Rent(Math.Max(atLeast, array.Length * 2));
        Array.Copy(array, bigger, array.Length);
        ArrayPool<T>.Shared.Return(array);
        array = bigger;
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(buffer);
        ArrayPool<WordToken>.Shared.Return(tokens);
        buffer = [];
        tokens = [];
    }
}
