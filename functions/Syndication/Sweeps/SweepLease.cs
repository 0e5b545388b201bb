using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using Syndication.Storage;

namespace Syndication.Sweeps;

/// <summary>
/// One run at a time against one storage account: a timer run, a second instance and a CLI run never fetch or send
/// together. The lock is a blob lease (60 s, renewed every 20 s of wall-clock time), so a crashed holder frees it within
/// a minute. The lease blob lives in the <c>feeds</c> container as <c>_sweep.lock</c>; feed ids cannot start with '_'.
/// </summary>
public sealed partial class SweepLease(StorageContainers containers, ILogger<SweepLease> logger)
{
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(60);
    static readonly TimeSpan RenewEvery = TimeSpan.FromSeconds(20);

    /// <summary>The held lease, to dispose when the run ends; null when another run holds it.</summary>
    public async Task<IAsyncDisposable?> TryAcquireAsync(CancellationToken cancellationToken)
    {
        var blob = containers.Feeds.GetBlobClient("_sweep.lock");
        var lease = blob.GetBlobLeaseClient();
        try
        {
            await lease.AcquireAsync(Duration, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // The first run against this account: create the lock blob, then take it. Later runs skip this write.
            try
            {
                await blob.UploadAsync(BinaryData.FromString("lease holder for sweeps"), overwrite: false, cancellationToken);
            }
            catch (RequestFailedException exists) when (exists.Status is 409 or 412)
            {
                // Another run created it meanwhile.
            }
            return await TryAcquireAsync(cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            LogBusy();
            return null;
        }
        return new Held(lease, logger);
    }

    sealed class Held : IAsyncDisposable
    {
        readonly BlobLeaseClient lease;
        readonly CancellationTokenSource stop = new();
        readonly Task renewing;

        public Held(BlobLeaseClient lease, ILogger logger)
        {
            this.lease = lease;
            // Wall-clock time on purpose: the lease expires on the storage server's clock, not the app's.
            renewing = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(RenewEvery, stop.Token);
                        await lease.RenewAsync(cancellationToken: stop.Token);
                    }
                    catch (OperationCanceledException) { return; }
                    catch (RequestFailedException ex)
                    {
                        LogRenewFailed(logger, ex.Message.Split('\n')[0]);
                        return;
                    }
                }
            });
        }

        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await renewing;
            try
            {
                await lease.ReleaseAsync();
            }
            catch (RequestFailedException)
            {
                // Already expired or taken over: nothing to release.
            }
            stop.Dispose();
        }
    }

    [LoggerMessage(LogLevel.Warning, "Another sweep is in progress against this storage account; this run does nothing and the next one carries on")]
    partial void LogBusy();

    [LoggerMessage(LogLevel.Warning, "Could not renew the sweep lease: {Reason}")]
    static partial void LogRenewFailed(ILogger logger, string reason);
}
