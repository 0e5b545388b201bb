namespace Syndication.Telegram;

/// <summary>
/// The few words an alert adds of its own (the link's text, the outlets' line, a digest's heading, the button), in the
/// channel's <c>language</c>: English, or Urdu for a channel whose subscribers read Urdu. The story itself is always in
/// the words its feed wrote.
/// </summary>
public sealed record MessageLabels(string ReadMore, string Also, string Digest, string Story, string Stories, string NotRelevant,
    string Growing, string FirstReport, Func<int, TimeSpan, string> Outlets)
{
    public static readonly MessageLabels English = new("Read more", "Also:", "Digest", "story", "stories", "Not relevant",
        "Growing story", "first report", (count, span) => $"{count} outlets in {Span(span, "min", "h")}");

    public static readonly MessageLabels Urdu = new("مزید پڑھیں", "دیگر ذرائع:", "خلاصہ", "خبر", "خبریں", "غیر متعلقہ",
        "بڑھتی ہوئی خبر", "پہلی خبر", (count, span) => $"{Span(span, "منٹ", "گھنٹے")} میں {count} ذرائع");

    /// <summary>Minutes up to two hours, then whole hours: "42 min", "3 h".</summary>
    static string Span(TimeSpan span, string minutes, string hours) =>
        span < TimeSpan.FromHours(2)
            ? $"{Math.Max(1, (int)Math.Round(span.TotalMinutes))} {minutes}"
            : $"{(int)Math.Round(span.TotalHours)} {hours}";

    /// <summary>The languages a channel may choose, as its configuration names them.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "ur"];

    public static MessageLabels For(string? language) => language == "ur" ? Urdu : English;

    /// <summary>The labels' language is written right to left (Urdu): the lines they head are right-to-left lines.</summary>
    public bool RightToLeft => ReferenceEquals(this, Urdu);

    /// <summary>
    /// Text from a feed (a source's name, an outlet's, a headline in a list) set into a line of the labels' direction: when
    /// it is written the other way, it is wrapped in a first-strong isolate (U+2068 … U+2069), so it keeps its own order and
    /// does not drag the line's punctuation, numbers and other names out of theirs (Unicode's bidirectional algorithm,
    /// UAX #9). Text already of the line's direction is left as it is.
    /// </summary>
    public string Isolate(string text) => Isolate(text, text);

    /// <summary><see cref="Isolate(string)"/> for HTML (a link): whether to isolate is read from <paramref name="text"/>, the words it shows.</summary>
    public string Isolate(string html, string text) => (RightToLeft ? Bidi.HasLeftToRight(text) : Bidi.HasRightToLeft(text)) ? $"\u2068{html}\u2069" : html;

    /// <summary>Left-to-right text the labels write themselves (a date) in a right-to-left line: a left-to-right isolate (U+2066 … U+2069).</summary>
    public string LeftToRight(string text) => RightToLeft ? $"\u2066{text}\u2069" : text;
}

/// <summary>Which way text runs, by its letters: a cheap reading of the bidirectional classes that matter here.</summary>
static class Bidi
{
    /// <summary>A right-to-left letter: Hebrew, Arabic and the scripts written with it (Urdu, Persian), Syriac, Thaana, N'Ko.</summary>
    public static bool IsRightToLeft(char c) =>
        c is >= '\u0590' and <= '\u08FF' or >= '\uFB1D' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF';

    public static bool HasRightToLeft(string text) => text.Any(c => IsRightToLeft(c) && char.IsLetter(c));

    public static bool HasLeftToRight(string text) => text.Any(c => char.IsLetter(c) && !IsRightToLeft(c));
}
