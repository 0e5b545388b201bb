using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Summaries;
using HtmlText = Telegram.Bot.Extensions.HtmlText;

namespace Syndication.Telegram;

/// <summary>
/// Renders an alert in Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style). Every piece of text from
/// a feed is escaped; the only tags are the ones written here: <c>b</c> and <c>a href</c>.
/// </summary>
public static partial class MessageFormatter
{
    const int MaxTitleLength = 300;

    public static string Format(Article article, string source, IReadOnlyList<ArticleMatch> matches)
    {
        var html = new StringBuilder();
        html.Append("<b>").Append(HtmlText.Escape(Clip(article.Title.Length > 0 ? article.Title : "(untitled)", MaxTitleLength))).Append("</b>\n");

        var date = (article.Published ?? article.FetchedAt).UtcDateTime;
        html.Append(HtmlText.Escape(source)).Append(" · ")
            .Append(date.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture)).Append('\n');

        var summary = Summarizer.Summarize(article.Text.Length > 0 ? article.Text : article.Summary);
        if (summary.Length > 0)
            html.Append('\n').Append(Highlight(summary, matches.SelectMany(m => m.Terms.Select(t => TermSyntax.TryParse(t, m.CaseSensitive, out _))).OfType<ParsedTerm>())).Append('\n');

        if (SafeLink(article.Link) is { } link)
            html.Append('\n').Append("<a href=\"").Append(EscapeAttribute(link)).Append("\">Read more</a>\n");

        var tags = matches.Select(m => "#" + Hashtag(m.RuleId)).Distinct();
        html.Append('\n').Append(string.Join(' ', tags));
        return html.ToString();
    }

    /// <summary>
    /// One message per channel the article's matches route to, however many rules route it there. Each message carries
    /// only the rules and terms that sent it to that channel.
    /// </summary>
    public static IEnumerable<(ChannelDefinition Channel, IReadOnlyList<ArticleMatch> Matches, string Html)> PerChannel(
        Article article, string source, SyndicationConfig config)
    {
        foreach (var channelId in article.Matches.SelectMany(m => m.Channels).Distinct())
        {
            if (config.FindChannel(channelId) is not { } channel) continue;
            var matches = article.Matches.Where(m => m.Channels.Contains(channelId)).ToList();
            yield return (channel, matches, Format(article, source, matches));
        }
    }

    /// <summary>Escapes the summary and wraps every occurrence of a matched term in <c>&lt;b&gt;</c>, matched the way the rules match.</summary>
    public static string Highlight(string text, IEnumerable<ParsedTerm> terms)
    {
        var index = new TermIndex(terms.Select((term, i) => (i, term)));
        var spans = new List<(int Index, int End)>();
        index.ScanWords(text, (_, start, end) => spans.Add((start, end)));
        index.ScanRegexes(text, (_, start, end) => spans.Add((start, end)), all: true);
        spans.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : b.End.CompareTo(a.End));

        var html = new StringBuilder(text.Length + 32);
        var position = 0;
        foreach (var (start, end) in spans)
        {
            if (start < position) continue; // overlaps a span already bolded
            html.Append(HtmlText.Escape(text[position..start])).Append("<b>").Append(HtmlText.Escape(text[start..end])).Append("</b>");
            position = end;
        }
        return html.Append(HtmlText.Escape(text[position..])).ToString();
    }

    /// <summary>Only http(s) links become anchors; anything else (javascript:, data:, relative) is dropped.</summary>
    static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.AbsoluteUri
            : null;

    static string EscapeAttribute(string value) => HtmlText.Escape(value).Replace("\"", "&quot;");

    /// <summary>Telegram hashtags are letters, digits and underscores.</summary>
    static string Hashtag(string ruleId) => NonHashtag().Replace(ruleId, "_");

    static string Clip(string text, int max)
    {
        if (text.Length <= max) return text;
        var cut = text.LastIndexOf(' ', max - 1);
        return (cut > 0 ? text[..cut] : text[..(max - 1)]) + "…";
    }

    [GeneratedRegex(@"[^\p{L}\p{N}_]")]
    private static partial Regex NonHashtag();
}
