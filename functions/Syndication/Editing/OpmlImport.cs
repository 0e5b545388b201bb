using System.Globalization;
using System.Text.Json.Nodes;
using Syndication.Config;
using Syndication.Feeds;

namespace Syndication.Editing;

/// <summary>A feed an import adds: its id, address, name, tags and settings, and where the file listed it.</summary>
public sealed record ImportedFeed(string Id, Uri Url, string? Name, IReadOnlyList<string> Tags, string Where)
{
    public int Backfill { get; init; }
    public string? FullText { get; init; }
    public int? MinIntervalMinutes { get; init; }
    public bool Enabled { get; init; } = true;

    /// <summary>The rules of this configuration that named the feed where it was exported, by id, and do not cover it here yet: it is added to their <c>feeds</c>.</summary>
    public IReadOnlyList<string> Rules { get; init; } = [];
}

/// <summary>What reading a feed an import would add found: read (at this address), in a private network, or not readable now and why.</summary>
public abstract record FeedCheck
{
    public sealed record Read(Uri Address) : FeedCheck;
    public sealed record Private : FeedCheck;
    public sealed record Unreachable(string Why) : FeedCheck;
}

/// <summary>What an import comes to: the feeds to add, those already watched (with their ids), and the outlines refused.</summary>
public sealed record ImportPlan(IReadOnlyList<ImportedFeed> Added, IReadOnlyList<(OpmlFeed Feed, string ExistingId)> Skipped, IReadOnlyList<OpmlProblem> Problems)
{
    /// <summary>What the change did, in the words the history and the answer use.</summary>
    public string Summary
    {
        get
        {
            var parts = new List<string> { $"{Counted.Of(Added.Count, "feed")} imported{(Added.Count == 0 ? "" : $" ({string.Join(", ", Added.Select(f => f.Id))})")}" };
            if (Added.Any(f => f.Backfill == 0)) parts.Add("what they carry now is stored without alerts (backfill 0)");
            foreach (var rule in Added.SelectMany(f => f.Rules.Select(r => (Rule: r, Feed: f.Id))).GroupBy(r => r.Rule))
                parts.Add($"rule {rule.Key} reads {string.Join(", ", rule.Select(r => r.Feed))} again");
            if (Skipped.Count > 0) parts.Add($"{Counted.Of(Skipped.Count, "feed")} already watched: {string.Join(", ", Skipped.Select(s => s.ExistingId))}");
            if (Problems.Count > 0) parts.Add($"{Counted.Of(Problems.Count, "outline")} not imported");
            return string.Join("; ", parts);
        }
    }
}

/// <summary>
/// The decisions of an OPML import, as pure functions: which outlines become feeds (those not watched already, by
/// address), with what ids (from their titles, a clash suffixed), tags (the category, as the configuration writes tags),
/// settings (an export's own, else <c>backfill: 0</c>, so an import never floods a channel) and the rules that named
/// them in an export; and the one edit of the configuration that adds them.
/// </summary>
public static class OpmlImport
{
    public static ImportPlan Plan(SyndicationConfig config, OpmlDocument document, string? category = null)
    {
        var watched = config.Feeds.GroupBy(f => Opml.Key(f.Url)).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.Ordinal);
        var taken = new HashSet<string>(config.Feeds.Select(f => f.Id), StringComparer.Ordinal);
        var added = new List<ImportedFeed>();
        var skipped = new List<(OpmlFeed, string)>();
        var problems = new List<OpmlProblem>(document.Problems);
        foreach (var feed in document.Feeds)
        {
            var address = new Uri(feed.Url);
            if (watched.TryGetValue(Opml.Key(address), out var existing))
            {
                skipped.Add((feed, existing));
                continue;
            }
            var settings = feed.Settings;
            var wanted = settings.GetValueOrDefault("id");
            var id = wanted is not null && IdPattern.IsMatch(wanted) && !taken.Contains(wanted) ? wanted : Opml.IdFor(feed.Title, address, taken);
            taken.Add(id);
            IReadOnlyList<string> tags = settings.TryGetValue("tags", out var written)
                ? [.. written.Split(' ', StringSplitOptions.RemoveEmptyEntries)]
                : (category ?? feed.Category) is { } named && Tag(named) is { } tag ? [tag] : [];
            var name = settings.ContainsKey("unnamed") ? null : feed.Title;
            // A rule that named the feed where it was exported names it here too, when this configuration has that rule
            // and it reads only some feeds, none of them this one by a tag it has.
            IReadOnlyList<string> rules = [.. (settings.GetValueOrDefault("rules") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal)
                .Where(r => config.FindRule(r) is { Feeds: { } scoped } && !scoped.Contains(id) && !scoped.Any(f => f.StartsWith(SyndicationConfig.TagPrefix, StringComparison.Ordinal) && tags.Contains(f[SyndicationConfig.TagPrefix.Length..])))];
            added.Add(new ImportedFeed(id, address, name, tags, feed.Where)
            {
                Backfill = Whole(settings, "backfill") ?? 0,
                FullText = settings.GetValueOrDefault("fullText"),
                MinIntervalMinutes = Whole(settings, "minIntervalMinutes"),
                Enabled = settings.GetValueOrDefault("enabled") != "false",
                Rules = rules,
            });
            watched[Opml.Key(address)] = id;
        }
        return new ImportPlan(added, skipped, problems);
    }

    /// <summary>
    /// The plan as reading its new feeds found them (<paramref name="checks"/>, by id): a feed read at the address its
    /// page advertises is added at that address; one in a private network is never added; one that could not be read is
    /// added only when <paramref name="keepUnreachable"/>. A feed left out is named with why.
    /// </summary>
    public static ImportPlan Checked(ImportPlan plan, IReadOnlyDictionary<string, FeedCheck> checks, bool keepUnreachable)
    {
        string? Refusal(ImportedFeed feed) => checks.GetValueOrDefault(feed.Id) switch
        {
            FeedCheck.Private => "its address is in a private network (Syndication__AllowPrivateNetworks is off)",
            FeedCheck.Unreachable(var why) when !keepUnreachable => "could not be read: " + why,
            _ => null,
        };
        return plan with
        {
            Added = [.. plan.Added.Where(f => Refusal(f) is null).Select(f => checks.GetValueOrDefault(f.Id) is FeedCheck.Read(var address) ? f with { Url = address } : f)],
            Problems = [.. plan.Problems, .. plan.Added.Where(f => Refusal(f) is not null).Select(f => new OpmlProblem(f.Where, $"not added: {Refusal(f)}"))],
        };
    }

    /// <summary>Adds the plan's feeds to the configuration's JSON, as the file would write them; returns the summary.</summary>
    public static string Apply(JsonObject root, ImportPlan plan)
    {
        if (plan.Added.Count == 0) throw new EditRefusedException($"Nothing to import: {plan.Summary}.");
        if (root["feeds"] is not JsonArray feeds) root["feeds"] = feeds = [];
        foreach (var feed in plan.Added)
        {
            var json = new JsonObject { ["id"] = feed.Id, ["url"] = feed.Url.ToString() };
            if (feed.Name is { Length: > 0 } name) json["name"] = name;
            json["backfill"] = feed.Backfill;
            if (feed.Tags.Count > 0) json["tags"] = new JsonArray([.. feed.Tags.Select(t => (JsonNode)t)]);
            if (feed.FullText is { } fullText && fullText != "auto") json["fullText"] = fullText;
            if (feed.MinIntervalMinutes is { } minutes and > 0) json["minIntervalMinutes"] = minutes;
            if (!feed.Enabled) json["enabled"] = false;
            feeds.Add(json);
            foreach (var rule in feed.Rules)
                if ((root["rules"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(r => r["id"]?.GetValue<string>() == rule)?["feeds"] is JsonArray scoped) scoped.Add(feed.Id);
        }
        return plan.Summary;
    }

    static readonly System.Text.RegularExpressions.Regex IdPattern = ConfigSchema.Pattern("/definitions/id");

    /// <summary>A category as a tag: <c>News / Pakistan</c> → <c>news-pakistan</c>; null when nothing of it is left.</summary>
    static string? Tag(string category)
    {
        var slug = Opml.IdFor(category, new Uri("http://x"), new HashSet<string>());
        return slug == "x" || slug.Length == 0 ? null : slug;
    }

    static int? Whole(IReadOnlyDictionary<string, string> settings, string name) =>
        settings.TryGetValue(name, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
