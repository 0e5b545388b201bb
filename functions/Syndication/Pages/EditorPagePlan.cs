using System.Text.Json;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Pages;

/// <summary>A rule as the editors' page lists it: its settings, its alerts and "Not relevant" marks, and its alerts per day for 30 days (oldest first).</summary>
public sealed record PageRule(string Id, bool Paused, IReadOnlyList<string> Channels, IReadOnlyList<string>? Feeds, IReadOnlyList<string> AnyOf, IReadOnlyList<string> AllOf,
    IReadOnlyList<string> NoneOf, int Sent7, int Sent30, int Marked7, int Marked30, IReadOnlyList<int> PerDay)
{
    /// <summary>The parts of an article the rule looks at, by the names the configuration writes.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public bool CaseSensitive { get; init; }

    /// <summary>The share of the last 30 days' alerts nobody marked not relevant; null with no alerts.</summary>
    public double? Precision30 => Sent30 == 0 ? null : Math.Max(0, 1 - (double)Marked30 / Sent30);
}

/// <summary>A feed as the editors' page lists it: how it is doing, and the articles it brought per day for 14 days (oldest first).</summary>
public sealed record PageFeed(string Id, string Name, string Url, bool Enabled, bool Broken, string? Error, int Failures, DateTimeOffset? LastSuccessAt,
    DateTimeOffset? NextDueAt, double ArticlesPerDay, IReadOnlyList<int> PerDay);

/// <summary>One line of a change's difference: <c>+</c> added, <c>-</c> removed, or a line around them (<c>' '</c>).</summary>
public sealed record DiffLine(char Kind, string Text);

/// <summary>A recorded change as the page shows it: who, when, what, its difference, and whether it is the one Undo would revert.</summary>
public sealed record PageChange(string Id, DateTimeOffset At, string By, string Command, string Summary, IReadOnlyList<DiffLine> Diff, bool Latest);

/// <summary>A piece of a headline: matched by a term (<see cref="Hit"/>) or not. The page sets hits in <c>&lt;mark&gt;</c>, as text.</summary>
public sealed record TextPiece(string Text, bool Hit);

/// <summary>A stored article a rule would match, its headline in pieces.</summary>
public sealed record PageMatch(IReadOnlyList<TextPiece> Title, string? Link, string Feed, DateTimeOffset At);

/// <summary>What a rule, as the form has it, would have matched: of how many stored articles, the newest matches, or why the form is not a valid rule.</summary>
public sealed record RuleTrial(int Read, int Matched, IReadOnlyList<PageMatch> Matches, IReadOnlyList<string> Errors);

/// <summary>
/// The decisions of the editors' page, as pure functions of plain records: which rules and feeds come first, counts per
/// day, a change's difference, and what a rule being edited would match. <see cref="EditorPage"/> reads storage, calls
/// these, and writes the answer.
/// </summary>
public static class EditorPagePlan
{
    public const int RuleDays = 30;
    public const int FeedDays = 14;

    /// <summary>The most matches a trial lists (it counts them all).</summary>
    public const int MaxMatches = 50;

    /// <summary>How many of <paramref name="times"/> fall on each of the last <paramref name="days"/> UTC days up to <paramref name="now"/>, oldest first.</summary>
    public static IReadOnlyList<int> PerDay(IEnumerable<DateTimeOffset> times, DateTimeOffset now, int days)
    {
        var counts = new int[days];
        var today = now.UtcDateTime.Date;
        foreach (var at in times)
        {
            var back = (int)(today - at.UtcDateTime.Date).TotalDays;
            if (back >= 0 && back < days) counts[days - 1 - back]++;
        }
        return counts;
    }

    /// <summary>
    /// Every rule with its figures, the noisiest first: rules editors marked not relevant, worst precision first; then
    /// those that sent most in 30 days; then by id.
    /// </summary>
    public static IReadOnlyList<PageRule> Rules(SyndicationConfig config, IReadOnlyDictionary<string, RuleFigures> figures, DateTimeOffset now) =>
        [.. config.Rules
            .Select(r => (Rule: r, Figures: figures.GetValueOrDefault(r.Id) ?? new RuleFigures(0, 0, 0, 0, [])))
            .Select(x => new PageRule(x.Rule.Id, !x.Rule.Enabled || x.Rule.PausedUntil > now, x.Rule.Channels, x.Rule.Feeds, x.Rule.AnyOf, x.Rule.AllOf, x.Rule.NoneOf,
                x.Figures.Sent7, x.Figures.Sent30, x.Figures.Marked7, x.Figures.Marked30, PerDay(x.Figures.SentAt, now, RuleDays))
            {
                Fields = [.. ArticleFields.All.Where(f => x.Rule.Fields.HasFlag(f.Field)).Select(f => f.Name)],
                CaseSensitive = x.Rule.CaseSensitive,
            })
            .OrderBy(r => r.Marked30 > 0 ? r.Precision30 : 2)
            .ThenByDescending(r => r.Sent30)
            .ThenBy(r => r.Id, StringComparer.Ordinal)];

    /// <summary>Every feed with how it is doing and what it stored per day, broken feeds first, then failing ones, then by id.</summary>
    public static IReadOnlyList<PageFeed> Feeds(SyndicationConfig config, IReadOnlyList<FeedStatus> statuses, IReadOnlyList<(string FeedId, DateTimeOffset At)> stored, DateTimeOffset now)
    {
        var byFeed = stored.ToLookup(s => s.FeedId, s => s.At, StringComparer.Ordinal);
        var status = statuses.ToDictionary(s => s.FeedId, StringComparer.Ordinal);
        return [.. config.Feeds
            .Select(f => (Feed: f, Status: status.GetValueOrDefault(f.Id)))
            .Select(x =>
            {
                var days = PerDay(byFeed[x.Feed.Id], now, FeedDays);
                return new PageFeed(x.Feed.Id, x.Feed.DisplayName, x.Feed.Url.ToString(), x.Feed.Enabled, x.Status?.Broken ?? false,
                    x.Status is { ConsecutiveFailures: > 0 } ? x.Status.LastError : null, x.Status?.ConsecutiveFailures ?? 0, x.Status?.LastSuccessAt, x.Status?.NextDueAt,
                    Math.Round(days.Sum() / (double)FeedDays, 1), days);
            })
            .OrderByDescending(f => f.Broken)
            .ThenByDescending(f => f.Failures > 0)
            .ThenBy(f => f.Id, StringComparer.Ordinal)];
    }

    /// <summary>The changes, newest first, each with its difference; the first is the one Undo reverts.</summary>
    public static IReadOnlyList<PageChange> Changes(IReadOnlyList<Config.HistoryEntry> entries) =>
        [.. entries.Select((e, i) => new PageChange(e.Id, e.At, e.By, e.Command, e.Summary, Diff(e.Before, e.After), i == 0))];

    /// <summary>
    /// The lines of <paramref name="after"/> that differ from <paramref name="before"/> (each configuration written out
    /// indented, so one setting is one line), with one line around each run of changes; at most 200 lines.
    /// </summary>
    public static IReadOnlyList<DiffLine> Diff(string before, string after)
    {
        string[] Lines(string json)
        {
            if (json.Length == 0) return [];
            try
            {
                using var document = JsonDocument.Parse(json);
                return JsonSerializer.Serialize(document.RootElement, Indented).Split('\n');
            }
            catch (JsonException)
            {
                return json.Split('\n');
            }
        }
        var (a, b) = (Lines(before), Lines(after));
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix]) prefix++;
        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)]) suffix++;
        var (x, y) = (a[prefix..^suffix], b[prefix..^suffix]);

        // The longest common subsequence of what is left, as any diff tool finds it; a change is a few lines.
        var lengths = new int[x.Length + 1, y.Length + 1];
        for (var i = x.Length - 1; i >= 0; i--)
            for (var j = y.Length - 1; j >= 0; j--)
                lengths[i, j] = x[i] == y[j] ? lengths[i + 1, j + 1] + 1 : Math.Max(lengths[i + 1, j], lengths[i, j + 1]);
        var lines = new List<DiffLine>();
        if (prefix > 0) lines.Add(new DiffLine(' ', a[prefix - 1]));
        int p = 0, q = 0;
        while (p < x.Length || q < y.Length)
        {
            if (p < x.Length && q < y.Length && x[p] == y[q]) { lines.Add(new DiffLine(' ', x[p])); p++; q++; }
            else if (p < x.Length && (q == y.Length || lengths[p + 1, q] >= lengths[p, q + 1])) lines.Add(new DiffLine('-', x[p++])); // removed before added, as git shows them
            else lines.Add(new DiffLine('+', y[q++]));
        }
        if (suffix > 0) lines.Add(new DiffLine(' ', a[^suffix]));
        return lines.Count > 200 ? [.. lines.Take(199), new DiffLine(' ', $"… {lines.Count - 199} more lines")] : lines;
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// What the rule would match among <paramref name="articles"/> (newest first) if <paramref name="edited"/> were the
    /// configuration, even while the rule is paused: every match counted, the newest <see cref="MaxMatches"/> listed with
    /// the matched words marked as an alert bolds them.
    /// </summary>
    public static RuleTrial Trial(SyndicationConfig edited, string ruleId, IReadOnlyList<Article> articles)
    {
        if (edited.FindRule(ruleId) is not { } rule) return new RuleTrial(articles.Count, 0, [], [$"there is no rule '{ruleId}'"]);
        var matcher = Syndication.Rules.RuleMatcher.For(edited with { Rules = [rule with { Enabled = true, PausedUntil = null }] });
        var matched = 0;
        var listed = new List<PageMatch>();
        foreach (var article in articles)
        {
            var matches = matcher.Match(article.FeedId, ArticleMessages.EntryOf(article));
            if (matches.Count == 0) continue;
            matched++;
            if (listed.Count >= MaxMatches) continue;
            var terms = matches.SelectMany(m => m.Parsed ?? []).ToList();
            listed.Add(new PageMatch(Pieces(article.Title, terms), Links.SafeLink(article.Link), article.FeedId, article.Published ?? article.FetchedAt));
        }
        return new RuleTrial(articles.Count, matched, listed, []);
    }

    /// <summary>A text cut into the pieces the terms match and those between them.</summary>
    public static IReadOnlyList<TextPiece> Pieces(string text, IEnumerable<Syntax.ParsedTerm> terms)
    {
        var pieces = new List<TextPiece>();
        var position = 0;
        foreach (var (start, end) in MessageFormatter.HighlightSpans(text, terms))
        {
            if (start > position) pieces.Add(new TextPiece(text[position..start], false));
            pieces.Add(new TextPiece(text[start..end], true));
            position = end;
        }
        if (position < text.Length || pieces.Count == 0) pieces.Add(new TextPiece(text[position..], false));
        return pieces;
    }
}
