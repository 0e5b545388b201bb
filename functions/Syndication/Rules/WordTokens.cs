using System.Buffers;

namespace Syndication.Rules;

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

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var kind = kinds[c];
            if (kind == TextFolding.Surrogate)
            {
                // Characters beyond the BMP: letters are kept as they are (no folding), anything else separates words.
                var isPair = i + 1 < text.Length && char.IsSurrogatePair(c, text[i + 1]);
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
                    if (wordStart < 0) { wordStart = length; originalStart = i; }
                    buffer[length++] = fold[c];
                    lastEnd = i + 1;
                    break;
                case TextFolding.Ignorable:
                    if (wordStart >= 0) lastEnd = i + 1;
                    break;
                case TextFolding.Standalone:
                    if (wordStart >= 0) Add(wordStart, length - wordStart, originalStart, lastEnd);
                    buffer[length] = fold[c];
                    Add(length++, 1, i, i + 1);
                    wordStart = -1;
                    break;
                default:
                    if (wordStart >= 0) Add(wordStart, length - wordStart, originalStart, lastEnd);
                    wordStart = -1;
                    break;
            }
        }
        if (wordStart >= 0) Add(wordStart, length - wordStart, originalStart, lastEnd);
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
