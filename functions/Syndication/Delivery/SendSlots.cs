using System.Globalization;
using Azure;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Storage;

namespace Syndication.Delivery;

/// <summary>
/// Telegram's bot-wide limit (<see cref="DeliveryOptions.GlobalPerSecond"/>) across every instance that sends for one
/// storage account. Time is cut into send slots (1/limit s apart, and the pacing margin); a page of
/// <see cref="DeliveryOptions.GlobalPerSecond"/> slots is one blob in the <c>feeds</c> container,
/// <c>_pacing/page-{n % 128}</c>, whose metadata says how many of its slots are taken. An instance takes slots with a
/// conditional write (If-Match the version it read), for all of its sends waiting at that moment and a few more (a
/// quarter second's worth, kept for the next sends until their time passes), so one write serves a burst and two
/// instances never hold the same slot. A slot in the past is never handed out, so unused slots cannot
/// bunch sends together; a full page sends the waiters to the next one. Storage that does not answer falls back to this
/// process's own pacing, which alone keeps one instance within the limit: pacing never holds an alert back for storage.
/// </summary>
public sealed partial class SendSlots(StorageContainers containers, IOptions<DeliveryOptions> options, TimeProvider time, ILogger<SendSlots> logger)
{
    const int Pages = 128; // blobs reused round-robin: a page is stale long before its blob is used again
    const int PagesAhead = 30; // how far into the future a burst may book, in pages


    readonly Lock gate = new();
    readonly Queue<TaskCompletionSource<(DateTimeOffset At, bool Shared)>> waiting = new();
    readonly Queue<DateTimeOffset> stock = new(); // slots this instance holds and has not given out, in order
    readonly SemaphoreSlim claiming = new(1, 1);

    /// <summary>The blob that holds page <paramref name="page"/>'s count of taken slots.</summary>
    public static string BlobName(long page) => $"_pacing/page-{page % Pages:D3}";

    TimeSpan Spacing
    {
        get
        {
            var settings = options.Value;
            return (TimeSpan.FromSeconds(1) + TimeSpan.FromMilliseconds(settings.PacingMarginMilliseconds)) / settings.GlobalPerSecond;
        }
    }

    /// <summary>
    /// Waits for a send slot no other instance holds. True when it is one; false when storage did not answer and this
    /// process must pace alone. <paramref name="expected"/> is how many sends are about to want one, so one claim serves them.
    /// </summary>
    public async Task<bool> WaitAsync(int expected, CancellationToken cancellationToken)
    {
        var mine = new TaskCompletionSource<(DateTimeOffset At, bool Shared)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var cancel = cancellationToken.Register(() => mine.TrySetCanceled(cancellationToken));
        lock (gate)
        {
            this.expected = expected;
            if (waiting.Count == 0 && FromStock() is { } held) mine.TrySetResult((held, true));
            else waiting.Enqueue(mine);
        }
        while (!mine.Task.IsCompleted)
        {
            // One claim at a time per process, for everyone waiting when it starts.
            await claiming.WaitAsync(cancellationToken);
            try
            {
                if (!mine.Task.IsCompleted) await ClaimForWaitingAsync(cancellationToken);
            }
            finally
            {
                claiming.Release();
            }
        }
        var (at, shared) = await mine.Task;
        if (!shared) return false;
        var wait = at - time.GetUtcNow();
        if (wait > TimeSpan.Zero) await Task.Delay(wait, time, cancellationToken);
        // Woken well after the slot (a busy machine): sending now could land next to another instance's next slot, so
        // this slot is let go and a new one taken.
        return time.GetUtcNow() - at <= Lateness || await WaitAsync(expected, cancellationToken);
    }

    int expected; // how many sends the last caller said were about to want a slot

    /// <summary>How late after its slot a send may still leave: half the pacing margin, at least 10 ms.</summary>
    TimeSpan Lateness => TimeSpan.FromMilliseconds(Math.Max(10, options.Value.PacingMarginMilliseconds / 2));

    async Task ClaimForWaitingAsync(CancellationToken cancellationToken)
    {
        int wanted;
        lock (gate)
        {
            while (waiting.TryPeek(out var first) && (first.Task.IsCompleted || FromStock() is { } held && first.TrySetResult((held, true))))
                waiting.Dequeue();
            wanted = waiting.Count;
            if (wanted > 0) wanted = Math.Max(wanted, expected);
        }
        if (wanted == 0) return;
        IReadOnlyList<DateTimeOffset> granted;
        var shared = true;
        try
        {
            // No more than a second's worth at once: a claim far ahead would hold slots other instances could use.
            granted = await TakeAsync(Math.Clamp(wanted, Math.Max(1, options.Value.GlobalPerSecond / 4), options.Value.GlobalPerSecond), cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException or StorageUnavailableException)
        {
            LogUnshared(ex.FirstLine());
            shared = false;
            granted = [.. Enumerable.Repeat(time.GetUtcNow(), wanted)];
        }
        // Every page within reach is taken: more waits than the limit lets out in that time. Try again a page later.
        if (granted.Count == 0) await Task.Delay(Spacing * options.Value.GlobalPerSecond, time, cancellationToken);
        lock (gate)
        {
            foreach (var at in granted)
            {
                var given = false;
                while (!given && waiting.TryDequeue(out var next)) given = next.TrySetResult((at, shared));
                if (!given && shared) stock.Enqueue(at);
            }
        }
    }

    /// <summary>The earliest slot in stock whose time has not long passed; called under the gate.</summary>
    DateTimeOffset? FromStock()
    {
        var now = time.GetUtcNow();
        while (stock.TryDequeue(out var at))
            if (at >= now - Lateness) return at;
        return null;
    }

    /// <summary>Takes up to <paramref name="wanted"/> free slots, from the earliest page with room, and returns their times.</summary>
    internal async Task<IReadOnlyList<DateTimeOffset>> TakeAsync(int wanted, CancellationToken cancellationToken)
    {
        var limit = options.Value.GlobalPerSecond;
        var spacing = Spacing;
        var pageLength = spacing * limit;
        var now = time.GetUtcNow();
        var page = now.ToUnixTimeMilliseconds() / (long)pageLength.TotalMilliseconds;
        for (var last = page + PagesAhead; page <= last; page++)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(page * (long)pageLength.TotalMilliseconds);
            // Slots already past cannot be taken: they would go out now, next to the slots of this moment.
            var past = (int)Math.Clamp(Math.Ceiling((now - start) / spacing), 0, limit);
            while (true)
            {
                var (taken, etag) = await ReadAsync(page, cancellationToken);
                var first = Math.Max(taken, past);
                if (first >= limit) break;
                var count = Math.Min(wanted, limit - first);
                if (!await WriteAsync(page, first + count, etag, cancellationToken)) continue; // another instance took some: read again
                return [.. Enumerable.Range(first, count).Select(i => start + spacing * i)];
            }
        }
        // Every page this far ahead is full: more is waiting than the limit lets out in that time; try again from there.
        return [];
    }

    async Task<(int Taken, ETag? ETag)> ReadAsync(long page, CancellationToken cancellationToken)
    {
        try
        {
            var properties = (await containers.Feeds.GetBlobClient(BlobName(page)).GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            var same = properties.Metadata.TryGetValue("page", out var stored) && stored == page.ToString(CultureInfo.InvariantCulture);
            var taken = same && properties.Metadata.TryGetValue("taken", out var count) && int.TryParse(count, CultureInfo.InvariantCulture, out var n) ? n : 0;
            return (taken, properties.ETag);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (0, null);
        }
    }

    /// <summary>Records <paramref name="taken"/> slots of the page, if the blob is still the version read; false when it is not.</summary>
    async Task<bool> WriteAsync(long page, int taken, ETag? etag, CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient(BlobName(page));
        var metadata = new Dictionary<string, string>
        {
            ["page"] = page.ToString(CultureInfo.InvariantCulture),
            ["taken"] = taken.ToString(CultureInfo.InvariantCulture),
        };
        try
        {
            if (etag is { } version)
                await blob.SetMetadataAsync(metadata, new BlobRequestConditions { IfMatch = version }, cancellationToken);
            else
                await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata, Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, cancellationToken);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not share the bot-wide send limit with other instances through storage ({Reason}); this instance paces its own sends only")]
    partial void LogUnshared(string reason);
}
