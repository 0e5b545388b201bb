using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Syndication.Primitives;

namespace Syndication.Storage;

/// <summary>
/// Locks as blob leases in the <c>feeds</c> container (feed ids cannot start with '_'): one lease per channel keeps two
/// instances from sending to one chat together, while channels go out side by side across instances. A lease lasts 60 s and is renewed while held; a crashed holder frees it within a
/// minute.
/// </summary>
public sealed partial class BlobLeases(StorageContainers containers, ILogger<BlobLeases> logger)
{
    public static string Channel(string channelId) => $"_locks/channel-{channelId}.lock";

    internal static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);

    /// <summary>The held lease, to dispose when the work ends; null when another run holds it.</summary>
    public async Task<HeldLease?> TryAcquireAsync(string name, CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient(name);
        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The first run to need this lock: create the lock blob, then take it. Later runs skip this write.
            try
            {
                await blob.UploadAsync(BinaryData.FromString("lease holder"), overwrite: false, cancellationToken);
            }
            catch (RequestFailedException exists) when (exists.Status is 409 or 412)
            {
                // Another run created it meanwhile.
            }
            return await TryAcquireAsync(name, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return null;
        }
        return new HeldLease(name, blob, lease, logger);
    }

    [LoggerMessage(LogLevel.Warning, "Lost the lease {Lease}: {Reason}; work under it stops now, and the run that holds it carries on")]
    internal static partial void LogLost(ILogger logger, string lease, string reason);

    [LoggerMessage(LogLevel.Debug, "Renewing the lease {Lease} failed, retrying while it is still valid: {Reason}")]
    internal static partial void LogRenewRetry(ILogger logger, string lease, string reason);
}

/// <summary>
/// A lease this run holds. It is renewed every 15 s; a failed renewal is retried every 2 s for as long as the lease can
/// still be valid, and when it cannot, or another run took it, <see cref="Lost"/> is cancelled at once. Work that must
/// never be done twice (a send) calls <see cref="ConfirmAsync"/> first, which renews on the spot, so a run that was frozen
/// past its lease, or whose lease was broken, stops before its next send instead of after it.
/// </summary>
public sealed class HeldLease : IAsyncDisposable
{
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(15);
    static readonly TimeSpan RetryEvery = TimeSpan.FromSeconds(2);

    /// <summary>How long before the lease's expiry the holder gives it up, for clock drift and request time.</summary>
    static readonly TimeSpan Margin = TimeSpan.FromSeconds(10);

    readonly string name;
    readonly BlobClient blob;
    readonly BlobLeaseClient lease;
    readonly ILogger logger;
    readonly CancellationTokenSource lost = new();
    readonly CancellationTokenSource stop = new();
    readonly SemaphoreSlim renewing = new(1, 1);
    readonly Task loop;

    // Wall-clock time on purpose: the lease expires on the storage server's clock, not the app's (which tests simulate).
    long renewedAt = Stopwatch.GetTimestamp();

    internal HeldLease(string name, BlobClient blob, BlobLeaseClient lease, ILogger logger)
    {
        this.name = name;
        this.blob = blob;
        this.lease = lease;
        this.logger = logger;
        loop = Task.Run(RenewLoopAsync);
    }

    /// <summary>Cancelled as soon as the lease is known lost, or can no longer be trusted to be held.</summary>
    public CancellationToken Lost => lost.Token;

    public bool IsLost => lost.IsCancellationRequested;

    /// <summary>Renews the lease now; false (and <see cref="Lost"/> cancelled) when it is no longer this run's.</summary>
    public async Task<bool> ConfirmAsync(CancellationToken cancellationToken)
    {
        if (IsLost) return false;
        return await RenewAsync(cancellationToken) ?? !IsLost;
    }

    /// <summary>A note the previous holder left on the lock blob (<see cref="WriteNoteAsync"/>); null when there is none.</summary>
    public async Task<string?> ReadNoteAsync(string key, CancellationToken cancellationToken)
    {
        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        return properties.Value.Metadata.TryGetValue(key, out var value) ? value : null;
    }

    /// <summary>Leaves a note on the lock blob for the next holder; written only while this run still holds the lease.</summary>
    public async Task WriteNoteAsync(string key, string value, CancellationToken cancellationToken)
    {
        if (IsLost) return;
        await blob.SetMetadataAsync(new Dictionary<string, string> { [key] = value }, new BlobRequestConditions { LeaseId = lease.LeaseId }, cancellationToken);
    }

    async Task RenewLoopAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested && !IsLost)
            {
                var wait = Stopwatch.GetElapsedTime(renewedAt) < RenewEvery ? RenewEvery - Stopwatch.GetElapsedTime(renewedAt) : TimeSpan.Zero;
                await Task.Delay(wait, stop.Token);
                while (await RenewAsync(stop.Token) is null && !IsLost)
                    await Task.Delay(RetryEvery, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>True when renewed, false when lost, null when storage did not answer and the lease may still be held.</summary>
    async Task<bool?> RenewAsync(CancellationToken cancellationToken)
    {
        await renewing.WaitAsync(cancellationToken);
        try
        {
            if (IsLost) return false;
            // Past this point the lease may have expired and another run taken it: stop trusting it.
            if (Stopwatch.GetElapsedTime(renewedAt) > BlobLeases.Duration - Margin)
            {
                var age = Stopwatch.GetElapsedTime(renewedAt);
                Lose($"not renewed for {age.TotalSeconds:0} s, so it may have expired");
                return false;
            }
            await lease.RenewAsync(cancellationToken: cancellationToken);
            renewedAt = Stopwatch.GetTimestamp();
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 or 404)
        {
            // LeaseIdMismatchWithLeaseOperation, LeaseLost, LeaseNotPresent: another run has it, or it was broken.
            Lose($"{ex.Status} {ex.ErrorCode}");
            return false;
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException)
        {
            BlobLeases.LogRenewRetry(logger, name, ex.FirstLine());
            return null;
        }
        finally
        {
            renewing.Release();
        }
    }

    void Lose(string reason)
    {
        if (IsLost) return;
        BlobLeases.LogLost(logger, name, reason);
        lost.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        if (!IsLost)
        {
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // Already expired or taken over: nothing to release.
            }
        }
        stop.Dispose();
        lost.Dispose();
        renewing.Dispose();
    }
}
