namespace Syndication.Telegram;

/// <summary>
/// The few words an alert adds of its own (the link's text, the outlets' line, a digest's heading, the button), in the
/// channel's <c>language</c>: English, or Urdu for a channel whose subscribers read Urdu. The story itself is always in
/// the words its feed wrote.
/// </summary>
public sealed record MessageLabels(string ReadMore, string Also, string Digest, string Story, string Stories, string NotRelevant)
{
    public static readonly MessageLabels English = new("Read more", "Also:", "Digest", "story", "stories", "Not relevant");

    public static readonly MessageLabels Urdu = new("مزید پڑھیں", "دیگر ذرائع:", "خلاصہ", "خبر", "خبریں", "غیر متعلقہ");

    /// <summary>The languages a channel may choose, as its configuration names them.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "ur"];

    public static MessageLabels For(string? language) => language == "ur" ? Urdu : English;
}
