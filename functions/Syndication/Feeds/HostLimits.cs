using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Settings;

namespace Syndication.Feeds;

/// <summary>
/// At most <see cref="SyndicationOptions.MaxConcurrentPerHost"/> requests at once to any one site (host and port,
/// <see cref="HttpAddresses.Site"/>), feeds and article pages together, so a site with many feeds is never hit by the
/// whole sweep at once. Waiting requests queue in order.
/// </summary>
public sealed class HostLimits(IOptions<SyndicationOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(host =>
        RateLimitPartition.GetConcurrencyLimiter(host, _ => new ConcurrencyLimiterOptions
        {
            PermitLimit = options.Value.MaxConcurrentPerHost,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        }), StringComparer.OrdinalIgnoreCase);

    public async ValueTask<RateLimitLease> AcquireAsync(Uri url, CancellationToken cancellationToken) =>
        await limiter.AcquireAsync(HttpAddresses.Site(url), 1, cancellationToken);

    public void Dispose() => limiter.Dispose();
}
