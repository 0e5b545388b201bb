using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace Syndication.Syntax;

/// <summary>
/// A channel's own message layout, written in Liquid and rendered with Fluid. Every value is HTML-escaped when it is
/// output, except <c>summary</c>, which is already escaped and carries the bold matched terms.
/// Variables: <c>title</c>, <c>source</c>, <c>author</c> (empty when the feed names none or the channel hides it),
/// <c>published</c>, <c>summary</c>, <c>link</c>, <c>rules</c> (ids), <c>hashtags</c>, <c>terms</c> (matched terms).
/// </summary>
public static partial class MessageTemplate
{
    static readonly FluidParser Parser = new();
    static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new(StringComparer.Ordinal);

    // Escapes only what HTML needs (&, <, >, quotes); Urdu, Cyrillic or emoji stay readable.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>The variables a template can use; anything else renders empty, so <see cref="Check"/> names it.</summary>
    public static readonly IReadOnlyList<string> Variables = ["title", "source", "author", "published", "summary", "link", "rules", "hashtags", "terms"];

    /// <summary>Statements one render may execute: a message needs dozens; a runaway loop stops here.</summary>
    public const int MaxSteps = 5_000;

    const int MaxRecursion = 16;

    /// <summary>Longest string any filter may produce, so repeated <c>append</c> cannot double its way to gigabytes.</summary>
    public const int MaxValueLength = 16_384;

    /// <summary>Longest literal range (<c>(1..n)</c>) a loop may walk.</summary>
    const int MaxRange = 1_000;

    static readonly TemplateOptions Options = CreateOptions();

    /// <summary>
    /// Templates are editors' input, loaded on every run, so they are bounded: steps, recursion, and the size of any value a
    /// filter builds. <c>raw</c> is gone (it would let feed HTML into messages), and an unknown filter is an error, not a no-op.
    /// </summary>
    static TemplateOptions CreateOptions()
    {
        var options = new TemplateOptions { MaxSteps = MaxSteps, MaxRecursion = MaxRecursion, StrictFilters = true };
        options.Filters.Remove("raw");
        foreach (var (name, filter) in options.Filters.ToList())
            options.Filters.AddFilter(name, async (input, arguments, context) =>
            {
                var result = await filter(input, arguments, context);
                if (result is StringValue text && text.ToStringValue().Length > MaxValueLength)
                    throw new InvalidOperationException($"the '{name}' filter built a value over {MaxValueLength} characters");
                return result;
            });
        return options;
    }

    /// <summary>Parses a template, or says where it is wrong (line and column) in <paramref name="error"/>.</summary>
    public static bool TryParse(string source, out string? error)
    {
        if (Refused(source) is { } refused)
        {
            error = refused;
            return false;
        }
        if (Parser.TryParse(source, out var template, out var message))
        {
            Cache.TryAdd(source, template);
            error = null;
            return true;
        }
        error = Position().Match(message) is { Success: true } at
            ? $"template error at line {at.Groups[1].Value}, column {at.Groups[2].Value}: {message}"
            : $"template error: {message}";
        return false;
    }

    /// <summary>What the template may not do at all, found before parsing: read files, or loop over a huge range.</summary>
    static string? Refused(string source)
    {
        if (ForbiddenTag().Match(source) is { Success: true } tag)
            return $"template error: the '{tag.Groups[1].Value}' tag is not allowed in a message template; write the layout in the template itself";
        foreach (Match range in RangeExpression().Matches(source))
        {
            if (!long.TryParse(range.Groups[1].Value, out var from) || !long.TryParse(range.Groups[2].Value, out var to))
                return $"template error: the range '{range.Value}' must have whole numbers at both ends, at most {MaxRange} apart";
            if (Math.Abs(to - from) > MaxRange)
                return $"template error: the range '{range.Value}' spans more than {MaxRange} numbers";
        }
        return null;
    }

    static readonly HashSet<string> TelegramTags = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"];

    /// <summary>
    /// What is wrong with a template, or null: a Liquid syntax error with its line and column, a tag Telegram would
    /// refuse (https://core.telegram.org/bots/api#html-style), a variable that does not exist, or a template that runs
    /// past its limits, found by rendering it with sample values.
    /// </summary>
    public static string? Check(string source)
    {
        if (!TryParse(source, out var error)) return error;
        var unknown = new List<string>();
        foreach (var (sample, what) in Samples)
        {
            string html;
            try
            {
                html = Render(source, sample, unknown, telegramRules: false);
            }
            catch (TemplateRenderException ex)
            {
                return ex.Message;
            }
            if (unknown.Count > 0)
                return $"the template uses {string.Join(", ", unknown.Distinct().Select(u => $"'{u}'"))}, which {(unknown.Distinct().Count() == 1 ? "is" : "are")} not a variable; the variables are {string.Join(", ", Variables)}";
            foreach (Match tag in Tag().Matches(html))
                if (!TelegramTags.Contains(tag.Groups[1].Value.ToLowerInvariant()))
                    return $"the template writes <{tag.Groups[1].Value}>, which Telegram does not allow; use only {string.Join(", ", TelegramTags)}";
            if (html.Trim().Length == 0) return $"the template renders an empty message for {what}";
            if (TelegramHtmlRules.Problem(html) is { } refused)
                return $"Telegram would refuse the template's message for {what} ({refused}); see https://core.telegram.org/bots/api#html-style";
        }
        return null;
    }

    /// <summary>Articles a template is tried on before it goes live: a full one, a bare one, and one whose summary carries markup.</summary>
    static readonly (MessageParts Parts, string What)[] Samples =
    [
        (new MessageParts("Title", "Source", "1 Jan 2026, 00:00 UTC", "https://example.com/", ["rule"], ["term"]) { SummaryHtml = "<b>term</b> summary", Author = "Author" }, "a sample article"),
        (new MessageParts("Title", "Source", "1 Jan 2026, 00:00 UTC", null, [], []) { SummaryHtml = "" }, "an article with no link, author or summary"),
        (new MessageParts("A & B <C>", "Source", "1 Jan 2026, 00:00 UTC", "https://example.com/a?b=1&c=2", ["rule", "other"], ["term", "more"])
            { SummaryHtml = "<b>term</b> &amp; <b>more</b> &lt;quoted&gt;" }, "an article whose title and summary need escaping"),
    ];

    /// <summary>Renders a message; any failure, including a limit reached, is a <see cref="TemplateRenderException"/>.</summary>
    public static string Render(string source, MessageParts parts) => Render(source, parts, unknown: null, telegramRules: true);

    /// <param name="telegramRules">A message Telegram would refuse for its HTML is a render failure, so the built-in layout goes instead.</param>
    static string Render(string source, MessageParts parts, List<string>? unknown, bool telegramRules)
    {
        var html = RenderText(source, parts, unknown);
        if (telegramRules && TelegramHtmlRules.Problem(html) is { } refused)
            throw new TemplateRenderException($"template error: Telegram would refuse the message ({refused})", new FormatException(refused));
        return html;
    }

    static string RenderText(string source, MessageParts parts, List<string>? unknown)
    {
        try
        {
            var template = Cache.GetOrAdd(source, s => TryParse(s, out var error) && Cache.TryGetValue(s, out var t) ? t : throw new FormatException(error));
            var context = new TemplateContext(Options);
            if (unknown is not null)
                context.Undefined = name => { unknown.Add(name); return ValueTask.FromResult<FluidValue>(NilValue.Instance); };
            context.SetValue("title", parts.Title);
            context.SetValue("source", parts.Source);
            context.SetValue("author", parts.Author ?? "");
            context.SetValue("published", parts.Published);
            context.SetValue("summary", new StringValue(parts.SummaryHtml, false));
            context.SetValue("link", parts.Link ?? "");
            context.SetValue("rules", parts.Rules);
            context.SetValue("hashtags", parts.Rules.Select(Hashtag).ToList());
            context.SetValue("terms", parts.Terms);
            return template.Render(context, Encoder).Trim();
        }
        catch (InvalidOperationException ex) when (ex.Message.StartsWith("The maximum", StringComparison.Ordinal))
        {
            // Fluid words its step limit as recursion in some versions; either way the template ran too long.
            throw new TemplateRenderException($"template error: the template ran past its limit of {MaxSteps} steps or {MaxRecursion} nested levels", ex);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new TemplateRenderException($"template error: {ex.Message}", ex);
        }
    }

    [GeneratedRegex(@"</?([A-Za-z][A-Za-z0-9-]*)")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex Position();

    [GeneratedRegex(@"\{%-?\s*(include|render|liquid)\b")]
    private static partial Regex ForbiddenTag();

    /// <summary>Telegram hashtags are letters, digits and underscores.</summary>
    public static string Hashtag(string ruleId) => "#" + NonHashtag().Replace(ruleId, "_");

    [GeneratedRegex(@"[^\p{L}\p{N}_]")]
    private static partial Regex NonHashtag();

    [GeneratedRegex(@"\(\s*([^().]*?)\s*\.\.\s*([^().]*?)\s*\)")]
    private static partial Regex RangeExpression();
}

/// <summary>A channel's template failed while rendering a message: the message falls back to the built-in layout.</summary>
public sealed class TemplateRenderException(string message, Exception inner) : Exception(message, inner);
