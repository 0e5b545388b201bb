using Syndication.Config;
using Syndication.Watches;

namespace Syndication.Sweeps;

/// <summary>
/// The configuration a sweep works with: the editors' own, as active now, and, when people may subscribe, every
/// subscriber as a channel of their private chat with their watches as its rules (<see cref="WatchIndex.Into"/>). With
/// <c>subscriptions</c> off, which is the default, nothing more is read.
/// </summary>
public sealed class SweepConfigs(ConfigSource source, SubscriberStore subscribers, TimeProvider time)
{
    /// <param name="path">A local config file; null means <c>Syndication__ConfigPath</c>, else the config blob.</param>
    public async Task<SyndicationConfig> LoadActiveAsync(string? path, CancellationToken cancellationToken) =>
        await WithWatchesAsync(await source.LoadActiveAsync(path, cancellationToken), cancellationToken);

    /// <summary>The configuration with the subscribers' watches in it; the same instance when subscriptions are off.</summary>
    public async Task<SyndicationConfig> WithWatchesAsync(SyndicationConfig config, CancellationToken cancellationToken) =>
        config.Subscriptions == SubscriptionMode.Off ? config : (await subscribers.IndexAsync(cancellationToken)).Into(config, time.GetUtcNow());
}
