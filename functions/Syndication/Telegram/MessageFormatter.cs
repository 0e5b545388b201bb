using System.Globalization;
using System.Text;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Rules;
using Syndication.Summaries;
using Syndication.Syntax;
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

    /// <summary>Telegram's limit on a picture's caption, counted the same way.</summary>
    public const int MaxCaptionLength = 1024;
    const int MaxTitleLength = 300;

    /// <summary>A feed's own title can be anything; a source name longer than this is shortened.</summary>
    const int MaxSourceLength = 100;

    public static string Format(Article article, string source, IReadOnlyList<ArticleMatch> matches, ChannelDefinition? channel = null) =>
        FormatChecked(article, source, matches, channel).Html;

    /// <summary>
    /// The message, and why the channel's template could not be used when it failed: the built-in layout is used then,
    /// so a broken template never stops an alert.
    /// </summary>
    public static (string Html, string? TemplateError) FormatChecked(Article article, string source, IReadOnlyList<ArticleMatch> matches, ChannelDefinition? channel = null,
        int maxLength = MaxLength)
    {
        // The matcher's own terms; an article read back from storage carries only their text, parsed here.
        var terms = matches.SelectMany(m => m.Parsed ?? [.. m.Terms.Select(t => TermSyntax.TryParse(t, m.CaseSensitive, out _)).OfType<ParsedTerm>()]).ToList();
        var summary = Summarizer.Summarize(article.Text, article.Summary, terms, channel?.SummarySentences ?? Summarizer.DefaultSentences);
        var parts = new MessageParts(
            Title: Summarizer.Shorten(article.Title.Length > 0 ? article.Title : "(untitled)", MaxTitleLength),
            Source: Summarizer.Shorten(source, MaxSourceLength),
            Published: FormatDate(article.Published ?? article.FetchedAt, channel?.TimeZone),
            Link: Links.ShownLink(article.Link),
            Rules: matches.Select(m => m.RuleId).Distinct().ToList(),
            Terms: matches.SelectMany(m => m.Terms).Distinct().ToList())
        {
            Author = channel?.ShowAuthor == false || string.IsNullOrWhiteSpace(article.Author) || SameName(article.Author, source)
                ? null : Summarizer.Shorten(article.Author, MaxSourceLength),
        };

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
            return Render(p, MessageLabels.For(channel?.Language));
        }

        // Shorten the summary until the whole message fits, then the title; the link always stays.
        var budget = summary.Length;
        while (true)
        {
            var shortened = budget >= summary.Length ? summary : budget <= 1 ? "" : Summarizer.Shorten(summary, budget);
            var html = RenderParts(parts with { SummaryHtml = Highlight(shortened, terms) });
            var excess = HtmlText.PlainLength(html) - maxLength;
            if (excess <= 0) return (html, templateError);
            if (budget <= 1)
            {
                var title = Summarizer.Shorten(parts.Title, Math.Max(20, parts.Title.Length - excess - 1));
                html = RenderParts(parts with { Title = title });
                return (HtmlText.PlainLength(html) <= maxLength ? html : HtmlText.Truncate(html, maxLength, "…"), templateError);
            }
            budget = Math.Max(1, Math.Min(budget, shortened.Length) - excess - 1);
        }
    }

    /// <summary>The built-in layout.</summary>
    static string Render(MessageParts parts, MessageLabels labels)
    {
        var html = new StringBuilder();
        html.Append("<b>").Append(HtmlText.Escape(parts.Title)).Append("</b>\n");
        // The source, the author and the date in the line's direction, each keeping its own (an Urdu source's name in an
        // English channel, the date in an Urdu one); in an Urdu channel the line opens with a right-to-left mark, so it
        // reads right to left even when every name on it is isolated.
        if (labels.RightToLeft) html.Append('\u200F');
        html.Append(HtmlText.Escape(labels.Isolate(parts.Source)));
        if (parts.Author is { } author) html.Append(" · ").Append(HtmlText.Escape(labels.Isolate(author)));
        html.Append(" · ").Append(HtmlText.Escape(labels.LeftToRight(parts.Published))).Append('\n');
        if (parts.SummaryHtml.Length > 0) html.Append('\n').Append(parts.SummaryHtml).Append('\n');
        if (parts.Link is { } link) html.Append('\n').Append("<a href=\"").Append(EscapeAttribute(link)).Append("\">").Append(labels.ReadMore).Append("</a>\n");
        // A person's watches are theirs, not a desk's topics: their alerts carry no rule hashtag.
        var hashtags = parts.Rules.Where(r => !Watches.Subscriber.IsWatchRule(r)).Select(MessageTemplate.Hashtag).Distinct().ToList();
        if (hashtags.Count > 0) html.Append('\n').Append(string.Join(' ', hashtags));
        return html.ToString();
    }

    /// <summary>
    /// One message per channel the article's matches route to, however many rules route it there. Each message carries
    /// only the rules and terms that sent it to that channel.
    /// </summary>
    /// <param name="picture">The article's picture as it may be shown (checked by the caller), or null.</param>
    public static IEnumerable<ChannelMessage> PerChannel(Article article, string source, SyndicationConfig config, string? picture)
    {
        // People's chats that take alerts alike (the same settings, the same matched words) get the same message: a story
        // for thousands of people is summarised and laid out a handful of times, not once each.
        var alike = new Dictionary<(ChannelDefinition Settings, string Terms), ChannelMessage>();
        var growingIn = article.Story?.GrowingIn ?? [];
        foreach (var channelId in article.Matches.SelectMany(m => m.Channels).Concat(growingIn).Distinct())
        {
            if (config.FindChannel(channelId) is not { } channel) continue;
            var matches = article.Matches.Where(m => m.Channels.Contains(channelId)).ToList();
            var person = Watches.Subscriber.ChatOf(channelId) is not null;
            var key = (channel with { Id = "", Chat = "" }, string.Join('\u001f', matches.SelectMany(m => m.Terms).Distinct()));
            if (person && alike.TryGetValue(key, out var same))
            {
                yield return same with { Channel = channel, Matches = matches };
                continue;
            }
            // A growing story's alert is marked as one and names its outlets; so is an alert a rule sent once enough outlets carried it.
            var growing = growingIn.Contains(channelId);
            var story = growing || matches.Any(m => config.FindRule(m.RuleId)?.MinOutlets > 1) ? article.Story : null;
            (string Html, string? TemplateError) Framed(ChannelDefinition settings, int maxLength = MaxLength) =>
                WithStory(article, story, growing, settings, maxLength, room => FormatChecked(article, source, matches, settings, room));
            var (html, templateError) = Framed(channel);
            var shown = channel.Images == Images.Off ? null : picture;
            // As a photo, the message is its caption: within 1,024 characters, the summary shortened first, never the link.
            var caption = shown is not null && channel.Images == Images.Photo ? Framed(channel, MaxCaptionLength).Html : null;
            // In a digest channel, an alert no urgent rule sent waits for the digest as one line; a growing story does not wait.
            var urgent = growing || matches.Any(m => config.FindRule(m.RuleId)?.Urgent == true);
            var line = channel.Digest is not null && !urgent ? DigestLine(article, source, channel) + (story is null ? "" : OutletsTail(article, story, channel.Language, " ")) : null;
            // A templated message carries the built-in layout too: if Telegram refuses the template's HTML all the same, that goes once instead.
            var fallback = channel.Template is not null && templateError is null ? Framed(channel with { Template = null }).Html : null;
            var message = new ChannelMessage(channel, matches, html) { TemplateError = templateError, Picture = shown, Caption = caption, DigestLine = line, FallbackHtml = fallback };
            if (person) alike[key] = message;
            yield return message;
        }
    }

    /// <inheritdoc cref="PerChannel(Article, string, SyndicationConfig, string?)"/>
    public static IEnumerable<ChannelMessage> PerChannel(Article article, string source, SyndicationConfig config) =>
        PerChannel(article, source, config, Links.SafeLink(article.Image));

    /// <summary>
    /// The message with its story's marks, within <paramref name="maxLength"/>: above it, for a growing story, a line that
    /// says so, how many outlets carried it in how long, and links the first report; below it, the other outlets
    /// (<see cref="AlsoLine"/>). The message itself is shortened to leave them room.
    /// </summary>
    static (string Html, string? TemplateError) WithStory(Article article, StorySoFar? story, bool growing, ChannelDefinition channel, int maxLength,
        Func<int, (string Html, string? TemplateError)> format)
    {
        if (story is null) return format(maxLength);
        var labels = MessageLabels.For(channel.Language);
        var first = story.Outlets[0];
        var head = !growing ? "" : $"📈 <b>{labels.Growing}</b> · {HtmlText.Escape(labels.Outlets(story.Outlets.Count, story.Span))}"
            + (Links.SafeLink(first.Link) is { } link ? $" · <a href=\"{EscapeAttribute(link)}\">{labels.FirstReport}</a>" : "") + "\n";
        var tail = OutletsTail(article, story, channel.Language, "\n");
        var (html, error) = format(maxLength - HtmlText.PlainLength(head + tail));
        return (head + html + tail, error);
    }

    /// <summary>The outlets' line for an article's story (those other than the article's own site), after <paramref name="separator"/>; empty when there are none.</summary>
    static string OutletsTail(Article article, StorySoFar story, string? language, string separator) =>
        story.Others(Outlet.SiteOf(StoryFingerprint.CanonicalUrl(article.Link))) is { Count: > 0 } others ? separator + AlsoLine(others, language) : "";

    /// <summary>The other outlets that carried a story, each name a link to its report: <c>Also: Dawn · Geo</c>.</summary>
    public static string AlsoLine(IEnumerable<Outlet> outlets, string? language = null)
    {
        var labels = MessageLabels.For(language);
        // Each name keeps its own direction, and the names follow the line's (an Urdu outlet in an English channel).
        return labels.Also + " " + string.Join(" · ", outlets.Select(o => labels.Isolate(Links.SafeLink(o.Link) is { } link
            ? $"<a href=\"{EscapeAttribute(link)}\">{HtmlText.Escape(Summarizer.Shorten(o.Name, MaxSourceLength))}</a>"
            : HtmlText.Escape(Summarizer.Shorten(o.Name, MaxSourceLength)), o.Name)));
    }

    /// <summary>Escapes the summary and wraps every occurrence of a matched term in <c>&lt;b&gt;</c>, matched the way the rules match.</summary>
    public static string Highlight(string text, IEnumerable<ParsedTerm> terms)
    {
        var html = new StringBuilder(text.Length + 32);
        var position = 0;
        foreach (var (start, end) in HighlightSpans(text, terms))
        {
            html.Append(HtmlText.Escape(text[position..start])).Append("<b>").Append(HtmlText.Escape(text[start..end])).Append("</b>");
            position = end;
        }
        return html.Append(HtmlText.Escape(text[position..])).ToString();
    }

    /// <summary>Where the terms occur in <paramref name="text"/>, matched the way the rules match: in order, none overlapping.</summary>
    public static IReadOnlyList<(int Start, int End)> HighlightSpans(string text, IEnumerable<ParsedTerm> terms)
    {
        var index = new TermIndex(terms.Select((term, i) => (i, term)));
        var spans = new List<(int Index, int End)>();
        index.ScanWords(text, (_, start, end) => spans.Add((start, end)));
        // A pattern may match part of a word or number (/Rs \d+/ in "Rs 281.40"): the bold takes the whole of it.
        index.ScanRegexes(text, (_, start, end) => spans.Add(WholeTokens(text, start, end)), all: true);
        spans.Sort((a, b) => a.Index != b.Index ? a.Index.CompareTo(b.Index) : b.End.CompareTo(a.End));
        var kept = new List<(int, int)>(spans.Count);
        var position = 0;
        foreach (var (start, end) in spans)
        {
            if (start < position) continue; // overlaps a span already kept
            kept.Add((start, end));
            position = end;
        }
        return kept;
    }

    /// <summary>One story in a digest: its headline as a link, its source and when it was published, on one line.</summary>
    public static string DigestLine(Article article, string source, ChannelDefinition? channel)
    {
        var title = HtmlText.Escape(Summarizer.Shorten(article.Title.Length > 0 ? article.Title : "(untitled)", MaxTitleLength));
        var headline = Links.ShownLink(article.Link) is { } link ? $"<a href=\"{EscapeAttribute(link)}\">{title}</a>" : $"<b>{title}</b>";
        var when = TimeZoneInfo.ConvertTime(article.Published ?? article.FetchedAt, channel?.TimeZone ?? TimeZoneInfo.Utc);
        var labels = MessageLabels.For(channel?.Language);
        // In an Urdu digest each line is a right-to-left line (a right-to-left mark first), whatever its headline's script.
        return $"{(labels.RightToLeft ? "\u200F" : "")}• {labels.Isolate(headline, article.Title)} — {HtmlText.Escape(labels.Isolate(Summarizer.Shorten(source, MaxSourceLength)))}, {when.ToString("HH:mm", CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// A digest of <paramref name="lines"/> (from <see cref="DigestLine"/>), in as few messages as Telegram's length limit
    /// allows: each part starts with a heading that says when and how many stories, and a line is never cut.
    /// </summary>
    public static IReadOnlyList<(string Html, int Lines)> Digest(IReadOnlyList<string> lines, DateTimeOffset at, TimeZoneInfo? zone, string? language = null)
    {
        var labels = MessageLabels.For(language);
        string Heading(int count, int part, int parts) =>
            $"<b>{labels.Digest}</b> · {HtmlText.Escape(labels.LeftToRight(FormatDate(at, zone)))} · {count} {(count == 1 ? labels.Story : labels.Stories)}{(parts > 1 ? $" ({part}/{parts})" : "")}\n\n";
        // The heading's room is reserved for its longest form, so parts never need to be split again once numbered.
        var room = MaxLength - HtmlText.PlainLength(Heading(lines.Count, 99, 99)) - 8;
        var groups = new List<List<string>>();
        var length = 0;
        foreach (var line in lines)
        {
            var size = HtmlText.PlainLength(line) + 1;
            if (groups.Count == 0 || length + size > room)
            {
                groups.Add([]);
                length = 0;
            }
            groups[^1].Add(line);
            length += size;
        }
        return [.. groups.Select((g, i) => (Heading(g.Count, i + 1, groups.Count) + string.Join('\n', g), g.Count))];
    }

    /// <summary>Widens a span that starts or ends inside a word or a number (digits around a '.' or ',') to the whole of it.</summary>
    internal static (int Start, int End) WholeTokens(string text, int start, int end)
    {
        static bool Joined(string t, int i) => i > 0 && i < t.Length && (
            char.IsLetterOrDigit(t[i - 1]) && char.IsLetterOrDigit(t[i])
            || t[i] is '.' or ',' && char.IsDigit(t[i - 1]) && i + 1 < t.Length && char.IsDigit(t[i + 1])
            || t[i - 1] is '.' or ',' && char.IsDigit(t[i]) && i >= 2 && char.IsDigit(t[i - 2]));
        if (end <= start) return (start, end);
        while (Joined(text, start)) start--;
        while (Joined(text, end)) end++;
        return (start, end);
    }

    /// <summary>Whether an author's name only repeats the source's ("Dawn" by "Dawn"), which says nothing more.</summary>
    static bool SameName(string author, string source) => string.Equals(author.Trim(), source.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary><c>28 Nov 2026, 06:00 UTC</c>, or in the channel's zone with its offset: <c>28 Nov 2026, 11:00 UTC+05:00</c>.</summary>
    public static string FormatDate(DateTimeOffset when, TimeZoneInfo? zone)
    {
        if (zone is null || zone == TimeZoneInfo.Utc) return when.UtcDateTime.ToString("d MMM yyyy, HH:mm 'UTC'", CultureInfo.InvariantCulture);
        var local = TimeZoneInfo.ConvertTime(when, zone);
        var offset = local.Offset;
        return local.ToString("d MMM yyyy, HH:mm", CultureInfo.InvariantCulture) + " UTC" + (offset < TimeSpan.Zero ? "-" : "+") + offset.ToString(@"hh\:mm", CultureInfo.InvariantCulture);
    }

    public static string EscapeAttribute(string value) => HtmlText.Escape(value).Replace("\"", "&quot;");
}

/// <summary>The message for one channel; <see cref="TemplateError"/> says why the channel's template was not used.</summary>
public sealed record ChannelMessage(ChannelDefinition Channel, IReadOnlyList<ArticleMatch> Matches, string Html)
{
    public string? TemplateError { get; init; }

    /// <summary>The picture shown with the message (a large preview above it, or the photo it captions); null for none.</summary>
    public string? Picture { get; init; }

    /// <summary>The message as a photo's caption, when the channel sends pictures as photos.</summary>
    public string? Caption { get; init; }

    /// <summary>The story as one line of the channel's digest, when it collects digests and no urgent rule sent it.</summary>
    public string? DigestLine { get; init; }

    /// <summary>The message in the built-in layout, when the channel's template made <see cref="Html"/>.</summary>
    public string? FallbackHtml { get; init; }
}
