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

    /// <summary>
    /// The configuration with the subscribers' watches in it; the same instance when subscriptions are off. While neither
    /// the editors' configuration nor the index changed, and no mute ended, it is the same instance as the last time, so
    /// the watches are compiled into the matcher once per change (<see cref="Rules.RuleMatcher.For"/> keeps one per
    /// instance), and the index is not read again: one HEAD request tells.
    /// </summary>
    public async Task<SyndicationConfig> WithWatchesAsync(SyndicationConfig config, CancellationToken cancellationToken)
    {
        if (config.Subscriptions == SubscriptionMode.Off) return config;
        var now = time.GetUtcNow();
        if (last is { } known && ReferenceEquals(known.Editors, config) && now < known.Until && await subscribers.IndexVersionAsync(cancellationToken) is { } version && version == known.Version)
            return known.Combined;
        var (index, read) = await subscribers.IndexWithVersionAsync(cancellationToken);
        var combined = index.Into(config, now);
        if (read is { } etag) last = new Loaded(config, etag, index.NextChange(now), combined);
        return combined;
    }

    sealed record Loaded(SyndicationConfig Editors, Azure.ETag Version, DateTimeOffset Until, SyndicationConfig Combined);

    volatile Loaded? last;
}
