using Azure;
using Azure.Storage.Blobs.Models;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>An alert waiting to be sent: one per (article, channel), with the message already rendered.</summary>
public sealed record OutboxEntry(
    string ChannelId,
    string Chat,
    string ArticleBlob,
    DateTimeOffset? Published,
    DateTimeOffset CreatedAt,
    IReadOnlyList<string> Rules,
    string Html,
    int Attempts = 0,
    string? LastError = null,
    DateTimeOffset? LastAttemptAt = null)
{
    /// <summary>Not to be sent before this time: set by a 429's retry_after or by backoff after a transient failure.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>When the first attempt failed; transient failures are retried for a bounded time from here.</summary>
    public DateTimeOffset? FirstFailureAt { get; init; }

    /// <summary>Set on an edit: the message already sent for this story, to be edited to <see cref="Html"/>.</summary>
    public int? EditMessageId { get; init; }

    /// <summary>The content hash of the version an edit brings; several edits of one story are separate entries.</summary>
    public string? Version { get; init; }

    /// <summary>The article's picture, shown as the channel's <c>images</c> says; null for none.</summary>
    public string? Picture { get; init; }

    /// <summary>The message within a photo caption's 1,024 characters, when the channel sends pictures as photos.</summary>
    public string? Caption { get; init; }

    /// <summary>Set on an edit of a message sent as a photo: the edit changes its caption to <see cref="Caption"/>.</summary>
    public bool EditsCaption { get; init; }

    /// <summary>
    /// Telegram took this alert as this message, but its delivery record could not be written: the next run writes the
    /// record and never sends the alert again.
    /// </summary>
    public int? SentAs { get; init; }

    /// <summary>The message in the built-in layout, kept when a channel's template made <see cref="Html"/>: sent once instead if Telegram refuses the template's HTML.</summary>
    public string? FallbackHtml { get; init; }

    /// <summary>With <see cref="SentAs"/>: it went out in a digest.</summary>
    public bool SentInDigest { get; init; }

    /// <summary>The story as a line of its channel's digest: set when the channel collects digests; it then waits for the next one.</summary>
    public string? DigestLine { get; init; }

    /// <summary>
    /// Not to go before this time, by choice, without holding up the channel's other alerts: an "also reported by" edit,
    /// spaced from the story's last one.
    /// </summary>
    public DateTimeOffset? After { get; init; }

    /// <summary>
    /// <c>{channelId}/{feedId}/{hash}.json</c>, or <c>{channelId}/{feedId}/{hash}.edit-{version}.json</c> for an edit: the
    /// same name in the outbox and in the delivery records.
    /// </summary>
    public string Name => EditMessageId is null ? NameFor(ChannelId, ArticleBlob) : $"{ChannelId}/{ArticleBlob[..^".json".Length]}.edit-{Version}.json";

    public static string NameFor(string channelId, string articleBlob) => $"{channelId}/{articleBlob}";
}

/// <summary>
/// A pending alert as the outbox listing shows it, without reading it: its name, its place in the channel's order (the
/// story's date, else when it was queued) and when it was queued. <see cref="Planned"/> holds a dry run's alert, which
/// exists nowhere in storage.
/// </summary>
public sealed record WaitingAlert(string Name, string ChannelId, DateTimeOffset Order, DateTimeOffset Queued)
{
    public OutboxEntry? Planned { get; init; }

    /// <summary>A line for its channel's digest, which waits for the digest's time (a new alert of a digest channel that no urgent rule sent).</summary>
    public bool ForDigest { get; init; }

    /// <summary>Not before this time, and waiting for it holds up nothing else (<see cref="OutboxEntry.After"/>).</summary>
    public DateTimeOffset? After { get; init; }

    /// <summary>Waits by its own choice at <paramref name="now"/>, so it neither holds up its channel nor counts as late.</summary>
    public bool WaitsAt(DateTimeOffset now) => After > now;

    public static WaitingAlert Of(OutboxEntry entry) =>
        new(entry.Name, entry.ChannelId, entry.After ?? entry.Published ?? entry.CreatedAt, entry.CreatedAt) { ForDigest = entry.DigestLine is not null && entry.EditMessageId is null, After = entry.After };
}

/// <summary>An alert that will never be sent, kept with the reason, so nothing is silently discarded.</summary>
public sealed record DeadLetter(OutboxEntry Entry, string Reason, DateTimeOffset At);

/// <summary>The record that an alert went out. Its existence is what stops a second send.</summary>
/// <summary>An article's alert in a channel (<see cref="Version"/> null) or one of its edits: sent or waiting, and when.</summary>
public sealed record AlertTrail(string? Version, bool Sent, DateTimeOffset? At);

public sealed record DeliveryRecord(string ChannelId, string Chat, string ArticleBlob, int MessageId, DateTimeOffset SentAt, int Attempts)
{
    /// <summary>Sent as a photo with the message as its caption: an edit changes the caption.</summary>
    public bool AsPhoto { get; init; }

    /// <summary>Sent as a line of a digest: the message holds other stories too, so an edit of this one is not sent.</summary>
    public bool InDigest { get; init; }
}

/// <summary>
/// Pending alerts live in the <c>outbox</c> container until sent; sent ones are recorded in <c>deliveries</c>.
/// Both are keyed by (channel, article), and both are created with <c>If-None-Match: *</c>, so enqueuing twice or
/// recording twice is harmless.
/// </summary>
public sealed class Outbox(StorageContainers containers, CorruptBlobs corrupt)
{
    public Task<bool> EnqueueAsync(OutboxEntry entry, CancellationToken cancellationToken) =>
        BlobJson.TryCreateAsync(containers.Outbox.GetBlobClient(entry.Name), entry, cancellationToken, Metadata(entry));

    // What delivery needs to order and schedule alerts, readable from one listing, without reading each alert.
    const string OrderKey = "order", QueuedKey = "queued", DigestKey = "digest", AfterKey = "after";

    static Dictionary<string, string> Metadata(OutboxEntry entry)
    {
        var waiting = WaitingAlert.Of(entry);
        var metadata = new Dictionary<string, string>
        {
            [OrderKey] = waiting.Order.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [QueuedKey] = waiting.Queued.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (waiting.ForDigest) metadata[DigestKey] = "1";
        if (waiting.After is { } after) metadata[AfterKey] = after.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return metadata;
    }

    static DateTimeOffset? Ticks(IDictionary<string, string>? metadata, string key) =>
        metadata is not null && metadata.TryGetValue(key, out var text) && long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            ? new DateTimeOffset(ticks, TimeSpan.Zero)
            : null;

    /// <summary>
    /// Deletes everything kept under one channel: its waiting alerts, its delivery records and its dead letters (for a
    /// person who stopped, whose channel is their private chat). Returns how many blobs went.
    /// </summary>
    public async Task<int> ForgetChannelAsync(string channelId, CancellationToken cancellationToken)
    {
        var deleted = 0;
        foreach (var container in new[] { containers.Outbox, containers.Deliveries, containers.DeadLetter })
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = channelId + "/" }, cancellationToken))
                if ((await container.GetBlobClient(blob.Name).DeleteIfExistsAsync(cancellationToken: cancellationToken)).Value) deleted++;
        return deleted;
    }

    /// <summary>
    /// Every pending alert (or one channel's) from one listing, in no particular order, without reading any: delivery
    /// reads an alert only when it is about to send it. Alerts queued before the listing carried metadata are ordered by
    /// when their blob was created.
    /// </summary>
    public async Task<IReadOnlyList<WaitingAlert>> ListWaitingAsync(CancellationToken cancellationToken, string? channelId = null)
    {
        var waiting = new List<WaitingAlert>();
        var options = new GetBlobsOptions { Prefix = channelId is null ? null : Watches.Subscriber.OutboxPrefix(channelId), Traits = BlobTraits.Metadata };
        await foreach (var item in containers.Outbox.GetBlobsAsync(options, cancellationToken))
        {
            var created = item.Properties.CreatedOn ?? DateTimeOffset.MinValue;
            var queued = Ticks(item.Metadata, QueuedKey) ?? created;
            waiting.Add(new WaitingAlert(item.Name, item.Name[..item.Name.IndexOf('/')], Ticks(item.Metadata, OrderKey) ?? queued, queued)
            {
                ForDigest = item.Metadata?.ContainsKey(DigestKey) == true,
                After = Ticks(item.Metadata, AfterKey),
            });
        }
        return waiting;
    }

    /// <summary>
    /// How many of a feed's articles were queued or sent to any of <paramref name="channelIds"/>: one listing per channel and
    /// container, made only on a feed's first read, to hold its backfill across crashes and sweeps.
    /// </summary>
    public async Task<int> CountAlertedArticlesAsync(string feedId, IEnumerable<string> channelIds, CancellationToken cancellationToken)
    {
        var articles = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        var listings = channelIds.SelectMany(c => new[] { (Channel: c, Container: containers.Outbox), (Channel: c, Container: containers.Deliveries) });
        await Parallel.ForEachAsync(listings, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (listing, ct) =>
        {
            await foreach (var blob in listing.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = $"{listing.Channel}/{feedId}/" }, ct))
                articles.TryAdd(blob.Name[(listing.Channel.Length + feedId.Length + 2)..].Split('.')[0], true);
        });
        return articles.Count;
    }

    /// <summary>
    /// Everything kept for one article in one channel, from two listings: its alert and its edits, each sent (with when,
    /// by the app's clock) or still waiting (with when it was queued), oldest first.
    /// </summary>
    public async Task<IReadOnlyList<AlertTrail>> TrailAsync(string channelId, string articleBlob, CancellationToken cancellationToken)
    {
        var prefix = OutboxEntry.NameFor(channelId, articleBlob)[..^".json".Length];
        var trail = new List<AlertTrail>();
        foreach (var (container, sent) in new[] { (containers.Deliveries, true), (containers.Outbox, false) })
            await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix, Traits = BlobTraits.Metadata }, cancellationToken))
            {
                var rest = blob.Name[prefix.Length..];
                if (rest != ".json" && !rest.StartsWith(".edit-", StringComparison.Ordinal)) continue; // another article whose name begins alike
                var version = rest == ".json" ? null : rest[".edit-".Length..^".json".Length];
                trail.Add(new AlertTrail(version, sent, sent ? WrittenAt(blob) : Ticks(blob.Metadata, QueuedKey) ?? blob.Properties.CreatedOn));
            }
        return [.. trail.OrderBy(t => t.At ?? DateTimeOffset.MaxValue)];
    }

    /// <summary>An alert still waiting, with its version, or null.</summary>
    public Task<(OutboxEntry Value, ETag ETag)?> GetPendingAsync(string name, CancellationToken cancellationToken) =>
        corrupt.ReadAsync<OutboxEntry>(containers.Outbox.GetBlobClient(name), cancellationToken);

    public async Task<bool> IsDeliveredAsync(string name, CancellationToken cancellationToken) =>
        (await containers.Deliveries.GetBlobClient(name).ExistsAsync(cancellationToken)).Value;

    public async Task<DeliveryRecord?> GetDeliveryAsync(string name, CancellationToken cancellationToken) =>
        (await corrupt.ReadAsync<DeliveryRecord>(containers.Deliveries.GetBlobClient(name), cancellationToken, keepOriginal: true))?.Value; // its existence still means "sent"

    /// <summary>Records the send, then takes the entry out of the outbox. A crash between the two is safe: the record wins.</summary>
    public async Task MarkDeliveredAsync(OutboxEntry entry, DeliveryRecord record, CancellationToken cancellationToken)
    {
        // The listing tells which rules sent a message and which message it is, for the rules' figures and the "Not relevant" button.
        await BlobJson.TryCreateAsync(containers.Deliveries.GetBlobClient(entry.Name), record, cancellationToken, new Dictionary<string, string>
        {
            [RulesMetadata] = string.Join(',', entry.Rules ?? []),
            [MessageMetadata] = record.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [WrittenAtMetadata] = record.SentAt.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await RemoveAsync(entry.Name, cancellationToken);
    }

    /// <summary>
    /// A delivery record's metadata: the rules that sent it (comma-separated ids), Telegram's message id, and when it was
    /// sent by the app's clock (UTC ticks), not by storage's, so figures over days agree with every other date the app keeps.
    /// </summary>
    public const string RulesMetadata = "rules", MessageMetadata = "message", WrittenAtMetadata = "writtenat";

    /// <summary>When a listed delivery record or mark was written by the app's clock; storage's creation time for one written before it was kept.</summary>
    public static DateTimeOffset? WrittenAt(BlobItem blob) =>
        Ticks(blob.Metadata, WrittenAtMetadata) ?? blob.Properties.CreatedOn;

    public async Task RemoveAsync(string name, CancellationToken cancellationToken) =>
        await containers.Outbox.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);

    /// <summary>Moves an alert that can never be sent to the <c>deadletter</c> container, with Telegram's reason.</summary>
    public async Task DeadLetterAsync(OutboxEntry entry, string reason, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await BlobJson.WriteAsync(containers.DeadLetter.GetBlobClient(entry.Name), new DeadLetter(entry, reason, at), ifMatch: null, cancellationToken);
        await RemoveAsync(entry.Name, cancellationToken);
    }

    /// <summary>The dead letters (one channel's, or all), newest first.</summary>
    public async Task<IReadOnlyList<(string Name, DeadLetter Letter)>> ListDeadLettersAsync(string? channelId, CancellationToken cancellationToken)
    {
        var letters = new List<(string, DeadLetter)>();
        if (!await containers.DeadLetter.ExistsAsync(cancellationToken)) return letters;
        await foreach (var blob in containers.DeadLetter.GetBlobsAsync(new GetBlobsOptions { Prefix = channelId is null ? null : channelId + "/" }, cancellationToken))
            if (await corrupt.ReadAsync<DeadLetter>(containers.DeadLetter.GetBlobClient(blob.Name), cancellationToken) is { } read)
                letters.Add((blob.Name, read.Value));
        return [.. letters.OrderByDescending(l => l.Item2.At)];
    }

    /// <summary>
    /// Queues dead letters again once their channel is fixed, as new alerts (no attempts, no backoff); one already sent is
    /// only cleared, never sent twice. Returns the channels that got alerts back, with how many each, and how many had been sent.
    /// </summary>
    public async Task<(IReadOnlyDictionary<string, int> Queued, int AlreadySent)> RetryDeadLettersAsync(string? channelId, CancellationToken cancellationToken)
    {
        var queued = new Dictionary<string, int>(StringComparer.Ordinal);
        var sent = 0;
        foreach (var (name, letter) in await ListDeadLettersAsync(channelId, cancellationToken))
        {
            if (await IsDeliveredAsync(name, cancellationToken)) sent++;
            else
            {
                await EnqueueAsync(letter.Entry with { Attempts = 0, LastError = null, LastAttemptAt = null, NotBefore = null, FirstFailureAt = null }, cancellationToken);
                queued[letter.Entry.ChannelId] = queued.GetValueOrDefault(letter.Entry.ChannelId) + 1;
            }
            await containers.DeadLetter.GetBlobClient(name).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        }
        return (queued, sent);
    }

    /// <summary>Keeps the entry pending with its attempt count and the last error, unless another run changed it meanwhile.</summary>
    /// <summary>
    /// Marks the entry as sent (Telegram took it as <see cref="OutboxEntry.SentAs"/>) when its delivery record could not be
    /// written; throws when even this cannot be written, as the caller must then count the send as uncertain.
    /// </summary>
    public Task MarkSentUnrecordedAsync(OutboxEntry entry, ETag etag, CancellationToken cancellationToken) =>
        BlobJson.WriteAsync(containers.Outbox.GetBlobClient(entry.Name), entry, etag == ETag.All ? null : etag, cancellationToken, Metadata(entry));

    /// <summary>
    /// Writes a waiting alert back as it now is: after a failed attempt (its count, error and next time), or rewritten to
    /// an edited story's new version. Only if nobody changed it since <paramref name="etag"/> was read; otherwise the
    /// other run's word stands.
    /// </summary>
    public async Task UpdatePendingAsync(OutboxEntry entry, ETag etag, CancellationToken cancellationToken)
    {
        try
        {
            await BlobJson.WriteAsync(containers.Outbox.GetBlobClient(entry.Name), entry, etag, cancellationToken, Metadata(entry));
        }
        catch (RequestFailedException ex) when (ex.Status is 412 or 404)
        {
            // Another run updated or delivered it; its word stands.
        }
    }
}
