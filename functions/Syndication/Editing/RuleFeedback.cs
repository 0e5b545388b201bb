using System.Globalization;
using Azure.Storage.Blobs.Models;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Storage;

namespace Syndication.Editing;

/// <summary>A rule's record: alerts it sent and alerts editors marked not relevant, in the last 7 and 30 days, and its latest alerts.</summary>
public sealed record RuleFigures(int Sent7, int Sent30, int Marked7, int Marked30, IReadOnlyList<(string Delivery, DateTimeOffset At)> Latest)
{
    /// <summary>When each alert of the last 30 days was sent, newest first: the editors' page charts them by day.</summary>
    public IReadOnlyList<DateTimeOffset> SentAt { get; init; } = [];
}

/// <summary>An editor's "Not relevant" mark on one alert: who pressed it and when.</summary>
public sealed record NotRelevantMark(long User, string By, DateTimeOffset At);

/// <summary>
/// What editors say about the alerts rules send: a press of "Not relevant" under an alert marks it against each rule that
/// sent it (once per editor's first press; <c>feeds/_marks/{ruleId}/{delivery}</c>), and a rule's figures count its
/// deliveries and marks, so editors see which rules are noisy. No feed bot we know of measures its rules' precision.
/// </summary>
public sealed class RuleFeedback(StorageContainers containers, TimeProvider time)
{
    static string MarkName(string ruleId, string delivery) => $"_marks/{ruleId}/{delivery}";

    /// <summary>The delivery of message <paramref name="messageId"/> in one of the channels, with the rules that sent it; null when none is recorded.</summary>
    public async Task<(string Name, IReadOnlyList<string> Rules)?> FindAsync(IEnumerable<string> channelIds, int messageId, CancellationToken cancellationToken)
    {
        var wanted = messageId.ToString(CultureInfo.InvariantCulture);
        foreach (var channel in channelIds)
            await foreach (var blob in containers.Deliveries.GetBlobsAsync(new GetBlobsOptions { Prefix = channel + "/", Traits = BlobTraits.Metadata }, cancellationToken))
                if (blob.Metadata.TryGetValue(Outbox.MessageMetadata, out var id) && id == wanted && !blob.Name.Contains(".edit-", StringComparison.Ordinal))
                    return (blob.Name, blob.Metadata.TryGetValue(Outbox.RulesMetadata, out var rules) ? rules.Split(',', StringSplitOptions.RemoveEmptyEntries) : []);
        return null;
    }

    /// <summary>Marks the delivery not relevant for each rule; false when it was marked already.</summary>
    public async Task<bool> MarkAsync(string delivery, IReadOnlyList<string> rules, EditorDefinition editor, CancellationToken cancellationToken)
    {
        var mark = new NotRelevantMark(editor.User, editor.Name, time.GetUtcNow());
        var metadata = new Dictionary<string, string> { [Outbox.WrittenAtMetadata] = mark.At.UtcTicks.ToString(CultureInfo.InvariantCulture) };
        var any = false;
        foreach (var rule in rules)
            any |= await BlobJson.TryCreateAsync(containers.Feeds.GetBlobClient(MarkName(rule, delivery)), mark, cancellationToken, metadata);
        return any;
    }

    /// <summary>The rule's alerts and marks over the last 30 days (<see cref="FiguresAsync(IReadOnlyList{RuleDefinition}, CancellationToken)"/>).</summary>
    public async Task<RuleFigures> FiguresAsync(RuleDefinition rule, CancellationToken cancellationToken) =>
        (await FiguresAsync([rule], cancellationToken))[rule.Id];

    /// <summary>
    /// Each rule's alerts and marks over the last 30 days, by rule id: one listing of each channel the rules send to, and
    /// one of the marks, however many rules share them.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, RuleFigures>> FiguresAsync(IReadOnlyList<RuleDefinition> rules, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        bool Recent(DateTimeOffset at) => now - at <= TimeSpan.FromDays(30);
        var sentIn = new Dictionary<string, List<(string Name, DateTimeOffset At, string[] Rules)>>(StringComparer.Ordinal);
        if (await containers.Deliveries.ExistsAsync(cancellationToken))
            foreach (var channel in rules.SelectMany(r => r.Channels).Distinct(StringComparer.Ordinal))
            {
                var sent = sentIn[channel] = [];
                await foreach (var blob in containers.Deliveries.GetBlobsAsync(new GetBlobsOptions { Prefix = channel + "/", Traits = BlobTraits.Metadata }, cancellationToken))
                    if (!blob.Name.Contains(".edit-", StringComparison.Ordinal) && Outbox.WrittenAt(blob) is { } at && Recent(at)
                        && blob.Metadata.TryGetValue(Outbox.RulesMetadata, out var by))
                        sent.Add((blob.Name, at, by.Split(',')));
            }
        var marked = new Dictionary<string, List<DateTimeOffset>>(StringComparer.Ordinal);
        if (await containers.Feeds.ExistsAsync(cancellationToken))
            await foreach (var blob in containers.Feeds.GetBlobsAsync(new GetBlobsOptions { Prefix = "_marks/", Traits = BlobTraits.Metadata }, cancellationToken))
                if (Outbox.WrittenAt(blob) is { } at && Recent(at) && blob.Name.Split('/') is [_, var ruleId, ..])
                    (marked.TryGetValue(ruleId, out var list) ? list : marked[ruleId] = []).Add(at);

        bool Week(DateTimeOffset at) => now - at <= TimeSpan.FromDays(7);
        var figures = new Dictionary<string, RuleFigures>(StringComparer.Ordinal);
        foreach (var rule in rules)
        {
            var sent = rule.Channels.Distinct(StringComparer.Ordinal).SelectMany(c => sentIn.GetValueOrDefault(c) ?? []).Where(s => s.Rules.Contains(rule.Id))
                .Select(s => (s.Name, s.At)).OrderByDescending(s => s.At).ToList();
            var marks = marked.GetValueOrDefault(rule.Id) ?? [];
            figures[rule.Id] = new RuleFigures(sent.Count(s => Week(s.At)), sent.Count, marks.Count(Week), marks.Count, [.. sent.Take(5)])
            {
                SentAt = [.. sent.Select(s => s.At)],
            };
        }
        return figures;
    }
}
