using System.Globalization;
using System.Text;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Telegram;
using Syndication.Watches;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Previews;

/// <summary>What a watch would have matched among the last day's headlines, found by the rule it is.</summary>
public sealed record WatchPreviewResult(IReadOnlyList<Headline> Matched, int Read);

/// <summary>
/// Answers "what would this watch have caught?" the moment a person adds it, from the last day's headline log, so they see
/// at once whether it is too broad or too narrow. Pure: the headlines come in, the answer goes out.
/// </summary>
public static class WatchPreview
{
    /// <summary>How far back a preview looks.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>More than this a day is too many to read as single messages: the answer suggests a digest or a narrower watch.</summary>
    public const int Busy = 30;

    const int Shown = 5;

    /// <summary>The headlines the watch matches, newest first, by the same matcher and the same rule a sweep would use.</summary>
    public static WatchPreviewResult Match(Watch watch, SyndicationConfig config, IReadOnlyList<Headline> headlines)
    {
        var rule = watch.ToRule("watch-preview", "watch-preview");
        var matcher = RuleMatcher.For(config with { Rules = [rule], Channels = [new ChannelDefinition("watch-preview", "0")] });
        var matched = headlines.Where(h => ArticleMessages.Matches(h.AsArticle(), matcher))
            .OrderByDescending(h => h.Published ?? h.FetchedAt).ToList();
        return new(matched, headlines.Count);
    }

    /// <summary>The answer in Telegram HTML, in the person's language (Urdu, else English).</summary>
    public static string Describe(WatchPreviewResult result, string language)
    {
        var urdu = language == "ur";
        var count = result.Matched.Count;
        var text = new StringBuilder();
        if (count == 0)
        {
            text.Append(urdu
                ? $"پچھلے 24 گھنٹوں کی {result.Read} نئی خبروں میں سے کوئی اس پر پوری نہیں اترتی۔ جب کوئی خبر آئے گی، میں بتا دوں گا۔"
                : $"Nothing in the last 24 hours matched it, among {result.Read} new articles. I will message you when a story does.");
            return text.ToString();
        }
        text.Append(urdu
            ? $"پچھلے 24 گھنٹوں میں یہ {result.Read} میں سے {count} خبروں پر پوری اترتی:"
            : $"In the last 24 hours it would have matched {count} of {result.Read} new articles{(count > Shown ? ", the newest:" : ":")}");
        foreach (var headline in result.Matched.Take(Shown))
        {
            var title = HtmlText.Escape(headline.Title.Length <= 120 ? headline.Title : headline.Title[..119] + "…");
            var link = Links.SafeLink(headline.Link);
            text.Append("\n• ").Append(link is null ? title : $"<a href=\"{MessageFormatter.EscapeAttribute(link)}\">{title}</a>")
                .Append(CultureInfo.InvariantCulture, $" ({HtmlText.Escape(headline.FeedId)}, {(headline.Published ?? headline.FetchedAt).UtcDateTime:HH:mm} UTC)");
        }
        if (count > Busy)
            text.Append(urdu
                ? "\nیہ دن میں بہت سے پیغام ہوں گے: ‎-لفظ یا ‎feed:نام سے محدود کریں، یا ‎/digest daily لیں۔"
                : "\nThat is a lot of messages a day: narrow it with -word or feed:name, or take them as one list with /digest daily.");
        return text.ToString();
    }
}
