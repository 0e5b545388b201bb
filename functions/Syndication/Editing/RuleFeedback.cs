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

    /// <summary>The rule's alerts and marks over the last 30 days, from two listings (one per channel it sends to, one of its marks).</summary>
    public async Task<RuleFigures> FiguresAsync(RuleDefinition rule, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var sent = new List<(string, DateTimeOffset)>();
        if (await containers.Deliveries.ExistsAsync(cancellationToken))
            foreach (var channel in rule.Channels)
                await foreach (var blob in containers.Deliveries.GetBlobsAsync(new GetBlobsOptions { Prefix = channel + "/", Traits = BlobTraits.Metadata }, cancellationToken))
                    if (!blob.Name.Contains(".edit-", StringComparison.Ordinal) && Outbox.WrittenAt(blob) is { } at && now - at <= TimeSpan.FromDays(30)
                        && blob.Metadata.TryGetValue(Outbox.RulesMetadata, out var rules) && rules.Split(',').Contains(rule.Id))
                        sent.Add((blob.Name, at));
        var marked = new List<DateTimeOffset>();
        if (await containers.Feeds.ExistsAsync(cancellationToken))
            await foreach (var blob in containers.Feeds.GetBlobsAsync(new GetBlobsOptions { Prefix = $"_marks/{rule.Id}/", Traits = BlobTraits.Metadata }, cancellationToken))
                if (Outbox.WrittenAt(blob) is { } at && now - at <= TimeSpan.FromDays(30)) marked.Add(at);
        bool Week(DateTimeOffset at) => now - at <= TimeSpan.FromDays(7);
        return new RuleFigures(sent.Count(s => Week(s.Item2)), sent.Count, marked.Count(Week), marked.Count, [.. sent.OrderByDescending(s => s.Item2).Take(5)])
        {
            SentAt = [.. sent.Select(s => s.Item2).OrderDescending()],
        };
    }
}
