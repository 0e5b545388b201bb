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
}
