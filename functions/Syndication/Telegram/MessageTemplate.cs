using System.Collections.Concurrent;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Fluid;
using Fluid.Values;

namespace Syndication.Telegram;

/// <summary>
/// A channel's own message layout, written in Liquid and rendered with Fluid. Every value is HTML-escaped when it is
/// output, except <c>summary</c>, which is already escaped and carries the bold matched terms.
/// Variables: <c>title</c>, <c>source</c>, <c>published</c>, <c>summary</c>, <c>link</c>, <c>rules</c> (ids),
/// <c>hashtags</c>, <c>terms</c> (matched terms).
/// </summary>
public static partial class MessageTemplate
{
    static readonly FluidParser Parser = new();
    static readonly ConcurrentDictionary<string, IFluidTemplate> Cache = new(StringComparer.Ordinal);

    // Escapes only what HTML needs (&, <, >, quotes); Urdu, Cyrillic or emoji stay readable.
    static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    /// <summary>Parses a template, or says where it is wrong (line and column) in <paramref name="error"/>.</summary>
    public static bool TryParse(string source, out string? error)
    {
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

    static readonly HashSet<string> TelegramTags = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "code", "pre", "blockquote", "tg-emoji"];

    /// <summary>
    /// What is wrong with a template, or null: a Liquid syntax error with its line and column, or a tag Telegram would
    /// refuse (https://core.telegram.org/bots/api#html-style), found by rendering it with sample values.
    /// </summary>
    public static string? Check(string source)
    {
        if (!TryParse(source, out var error)) return error;
        var sample = new MessageParts("Title", "Source", "1 Jan 2026, 00:00 UTC", "https://example.com/", ["rule"], ["term"]) { SummaryHtml = "<b>term</b> summary" };
        string html;
        try
        {
            html = Render(source, sample);
        }
        catch (Exception ex) when (ex is FluidException or FormatException or InvalidOperationException)
        {
            return $"template error: {ex.Message}";
        }
        foreach (Match tag in Tag().Matches(html))
            if (!TelegramTags.Contains(tag.Groups[1].Value.ToLowerInvariant()))
                return $"the template writes <{tag.Groups[1].Value}>, which Telegram does not allow; use only {string.Join(", ", TelegramTags)}";
        if (html.Trim().Length == 0) return "the template renders an empty message";
        return null;
    }

    public static string Render(string source, MessageParts parts)
    {
        var template = Cache.GetOrAdd(source, s => Parser.TryParse(s, out var t, out var error) ? t : throw new FormatException(error));
        var context = new TemplateContext();
        context.SetValue("title", parts.Title);
        context.SetValue("source", parts.Source);
        context.SetValue("published", parts.Published);
        context.SetValue("summary", new StringValue(parts.SummaryHtml, false));
        context.SetValue("link", parts.Link ?? "");
        context.SetValue("rules", parts.Rules);
        context.SetValue("hashtags", parts.Rules.Select(MessageFormatter.Hashtag).ToList());
        context.SetValue("terms", parts.Terms);
        return template.Render(context, Encoder).Trim();
    }

    [GeneratedRegex(@"</?([A-Za-z][A-Za-z0-9-]*)")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\((\d+):(\d+)\)")]
    private static partial Regex Position();
}
