using System.ComponentModel.DataAnnotations;

namespace Syndication.Settings;

/// <summary>Settings under <c>Syndication__*</c>. Defaults live here; app settings override them.</summary>
public sealed class SyndicationOptions
{
    public const string Section = "Syndication";

    /// <summary>A local config file used instead of the blob <c>config/syndication.json</c>.</summary>
    public string? ConfigPath { get; set; }

    /// <summary>
    /// Run as if it were this moment (ISO 8601 with its offset, such as <c>2026-11-28T07:00:00Z</c>); the clock runs on
    /// from there. For tests and for replaying a past day; leave it unset in Azure.
    /// </summary>
    public DateTimeOffset? Now { get; set; }

    /// <summary>Prepended to every container name, so several deployments (or tests) can share one storage account.</summary>
    [RegularExpression("^([a-z0-9][a-z0-9-]{0,20})?$", ErrorMessage = "at most 21 lower-case letters, digits and '-', starting with a letter or digit")]
    public string ContainerPrefix { get; set; } = "";

    /// <summary>Feeds fetched at once by one process (one Functions instance), over all the batches it works.</summary>
    [Range(1, 256)]
    public int MaxConcurrentFeeds { get; set; } = 16;

    /// <summary>
    /// Feed state is kept in this many blobs, each feed in the one its host hashes to. A batch of work owns whole shards,
    /// so more shards spread big deployments over more instances. Changing it starts every feed's state afresh once (one
    /// unconditional fetch each; nothing is alerted twice, since what each feed carried is kept apart).
    /// </summary>
    [Range(1, 4096)]
    public int StateShards { get; set; } = 32;

    /// <summary>
    /// How long a queued batch or wake-up stays hidden from other consumers while one works it: a consumer that dies
    /// mid-batch delays only that batch, by this much (the Functions host uses 10 minutes and renews it).
    /// </summary>
    [Range(5, 3600)]
    public int QueueVisibilitySeconds { get; set; } = 600;

    /// <summary>
    /// A cycle is cut into at least as many batches as keep each near this many due feeds (more when its sites allow, so
    /// that two instances share it; see <c>BatchSizing</c>); a batch is always whole shards.
    /// </summary>
    [Range(1, 10_000)]
    public int FeedsPerBatch { get; set; } = 250;

    /// <summary>Requests at once to one site, its host and port (feeds and article pages), so one site's many feeds never hammer it.</summary>
    [Range(1, 64)]
    public int MaxConcurrentPerHost { get; set; } = 2;

    /// <summary>Items remembered per feed, tombstones of items that left the feed included; items in the feed are always kept.</summary>
    [Range(10, 100_000)]
    public int SeenItemsPerFeed { get; set; } = 1000;

    [Range(1, 300)]
    public int FeedTimeoutSeconds { get; set; } = 30;

    /// <summary>A feed larger than this is rejected without being read into memory whole.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public long MaxFeedBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>Extra attempts for a feed request that failed transiently (5xx, 408, 429, network), inside one sweep.</summary>
    [Range(0, 5)]
    public int FeedRetries { get; set; } = 2;

    [Range(0, 60_000)]
    public int FeedRetryDelayMilliseconds { get; set; } = 1000;

    /// <summary>The most time one feed may take in a sweep, fetching, reading and completing its items; the rest waits for the next sweep.</summary>
    [Range(5, 600)]
    public int FeedBudgetSeconds { get; set; } = 60;

    /// <summary>After this, a sweep starts no more feeds (they are due in the next sweep); well inside the Functions timeout.</summary>
    [Range(1, 3600)]
    public int SweepDeadlineSeconds { get; set; } = 240;

    /// <summary>New or edited items one feed may bring in one sweep, newest first; a bigger backlog is taken in later sweeps.</summary>
    [Range(1, 100_000)]
    public int MaxItemsPerFeed { get; set; } = 200;

    /// <summary>Allow feeds and article pages on loopback and private networks. Off in production; local runs and tests turn it on.</summary>
    public bool AllowPrivateNetworks { get; set; }

    [Required]
    public string UserAgent { get; set; } = "Syndication/1.0 (news feed to Telegram alert bot)";
}
