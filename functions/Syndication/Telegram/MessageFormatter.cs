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
/// a feed is escaped; the only tags are the ones written here (<c>b</c> and <c>a href</c>) or in a channel's template.
/// A message never exceeds Telegram's 4,096 characters: the summary is shortened first, never the link.
/// </summary>
public static partial class MessageFormatter
{
    /// <summary>Telegram's limit on a message's text after entities are parsed, in UTF-16 code units.</summary>
    public const int MaxLength = 4096;
    const int MaxTitleLength = 300;

    /// <summary>A feed's own title can be anything; a source name longer than this is shortened.</summary>
    const int MaxSourceLength = 100;

    public static string Format(Article article, string source, IReadOnlyList<ArticleMatch> matches, ChannelDefinition? channel = null) =>
        FormatChecked(article, source, matches, channel).Html;

    /// <summary>
    /// The message, and why the channel's template could not be used when it failed: the built-in layout is used then,
    /// so a broken template never stops an alert.
    /// </summary>
    public static (string Html, string? TemplateError) FormatChecked(Article article, string source, IReadOnlyList<ArticleMatch> matches, ChannelDefinition? channel = null)
    {
        var terms = matches.SelectMany(m => m.Terms.Select(t => TermSyntax.TryParse(t, m.CaseSensitive, out _))).OfType<ParsedTerm>().ToList();
        var summary = Summarizer.Summarize(article.Text, article.Summary, terms, channel?.SummarySentences ?? Summarizer.DefaultSentences);
        var parts = new MessageParts(
            Title: Summarizer.Shorten(article.Title.Length > 0 ? article.Title : "(untitled)", MaxTitleLength),
            Source: Summarizer.Shorten(source, MaxSourceLength),
            Published: FormatDate(article.Published ?? article.FetchedAt, channel?.TimeZone),
            Link: SafeLink(article.Link),
            Rules: matches.Select(m => m.RuleId).Distinct().ToList(),
            Terms: matches.SelectMany(m => m.Terms).Distinct().ToList());

        string? templateError = null;
        var template = channel?.Template;
        string RenderParts(MessageParts p)
        {
            if (template is not null)
            {
                try
                {
                    return MessageTemplate.Render(template, p);
                }
                catch (TemplateRenderException ex)
                {
                    templateError = ex.Message;
                    template = null;
                }
            }
            return Render(p);
        }

        // Shorten the summary until the whole message fits, then the title; the link always stays.
        var budget = summary.Length;
        while (true)
        {
            var shortened = budget >= summary.Length ? summary : budget <= 1 ? "" : Summarizer.Shorten(summary, budget);
            var html = RenderParts(parts with { SummaryHtml = Highlight(shortened, terms) });
            var excess = HtmlText.PlainLength(html) - MaxLength;
            if (excess <= 0) return (html, templateError);
            if (budget <= 1)
            {
                var title = Summarizer.Shorten(parts.Title, Math.Max(20, parts.Title.Length - excess - 1));
                html = RenderParts(parts with { Title = title });
                return (HtmlText.PlainLength(html) <= MaxLength ? html : HtmlText.Truncate(html, MaxLength, "…"), templateError);
            }
            budget = Math.Max(1, Math.Min(budget, shortened.Length) - excess - 1);
        }
    }

    /// <summary>The built-in layout.</summary>
    static string Render(MessageParts parts)
    {
        var html = new StringBuilder();
        html.Append("<b>").Append(HtmlText.Escape(parts.Title)).Append("</b>\n");
        html.Append(HtmlText.Escape(parts.Source)).Append(" · ").Append(HtmlText.Escape(parts.Published)).Append('\n');
        if (parts.SummaryHtml.Length > 0) html.Append('\n').Append(parts.SummaryHtml).Append('\n');
        if (parts.Link is { } link) html.Append('\n').Append("<a href=\"").Append(EscapeAttribute(link)).Append("\">Read more</a>\n");
        html.Append('\n').Append(string.Join(' ', parts.Rules.Select(Hashtag).Distinct()));
        return html.ToString();
    }

    /// <summary>
    /// One message per channel the article's matches route to, however many rules route it there. Each message carries
    /// only the rules and terms that sent it to that channel.
    /// </summary>
    public static IEnumerable<ChannelMessage> PerChannel(Article article, string source, SyndicationConfig config)
    {
        foreach (var channelId in article.Matches.SelectMany(m => m.Channels).Distinct())
        {
            if (config.FindChannel(channelId) is not { } channel) continue;
            var matches = article.Matches.Where(m => m.Channels.Contains(channelId)).ToList();
            var (html, templateError) = FormatChecked(article, source, matches, channel);
            yield return new ChannelMessage(channel, matches, html) { TemplateError = templateError };
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

    /// <summary><c>28 Nov 2026, 06:00 UTC</c>, or in the channel's zone with its offset: <c>28 Nov 2026, 11:00 UTC+05:00</c>.</summary>
    public static string FormatDate(DateTimeOffset when, TimeZoneInfo? zone)
    {
        if (zone is null || zone == TimeZoneInfo.Utc) return when.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var local = TimeZoneInfo.ConvertTime(when, zone);
        var offset = local.Offset;
        return local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    /// <summary>Only http(s) links become anchors; anything else (javascript:, data:, relative) is dropped.</summary>
    public static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri.AbsoluteUri
            : null;

    public static string EscapeAttribute(string value) => HtmlText.Escape(value).Replace("\"", "&quot;");

    /// <summary>Telegram hashtags are letters, digits and underscores.</summary>
    public static string Hashtag(string ruleId) => "#" + NonHashtag().Replace(ruleId, "_");

    [GeneratedRegex(@"[^\p{L}\p{N}_]")]
    private static partial Regex NonHashtag();
}

/// <summary>The message for one channel; <see cref="TemplateError"/> says why the channel's template was not used.</summary>
public sealed record ChannelMessage(ChannelDefinition Channel, IReadOnlyList<ArticleMatch> Matches, string Html)
{
    public string? TemplateError { get; init; }
}

/// <summary>The pieces of a message. Everything is plain text except <see cref="SummaryHtml"/>, which is escaped and highlighted.</summary>
public sealed record MessageParts(string Title, string Source, string Published, string? Link, IReadOnlyList<string> Rules, IReadOnlyList<string> Terms)
{
    public string SummaryHtml { get; init; } = "";
}
