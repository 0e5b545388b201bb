using Azure.Core;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Delivery;
using Syndication.Editing;
using Syndication.Feeds;
using Syndication.Previews;
using Syndication.Settings;
using Syndication.Storage;
using Syndication.Sweeps;
using Syndication.Telegram;
using Syndication.Watches;

namespace Syndication.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Where article storage is configured, in order: its own section, else the Functions host's storage.</summary>
    public static readonly IReadOnlyList<string> StorageSections = ["ArticleStorage", "AzureWebJobsStorage"];

    /// <summary>The storage settings in use: the first of <see cref="StorageSections"/> that is set (an empty value is not); null when none is.</summary>
    public static IConfigurationSection? StorageSection(IConfiguration configuration) =>
        StorageSections.Select(configuration.GetSection).FirstOrDefault(s => !string.IsNullOrWhiteSpace(s.Value) || s.GetChildren().Any(c => !string.IsNullOrWhiteSpace(c.Value)));

    const string NoStorage = "no article storage is configured: set ArticleStorage to a connection string (UseDevelopmentStorage=true for Azurite) or ArticleStorage__serviceUri, or set AzureWebJobsStorage";

    /// <summary>Keys Microsoft.Extensions.Azure reads inside a storage section, besides a plain connection string value.</summary>
    public static readonly IReadOnlyList<string> StorageKeys = ["serviceUri", "blobServiceUri", "queueServiceUri", "credential", "clientId", "accountName"];

    /// <summary>Everything a sweep needs. Both hosts and the integration tests call this, and only this.</summary>
    public static IServiceCollection AddSyndication(this IServiceCollection services, IConfiguration configuration)
    {
        AddSettings<SyndicationOptions>(services, configuration, SettingsSection.Syndication);
        AddSettings<TelegramOptions>(services, configuration, SettingsSection.Telegram);
        AddSettings<DeliveryOptions>(services, configuration, SettingsSection.Delivery);
        services.AddMetrics();
        services.TryAddSingleton(provider => ShiftedClock.StartingAt(provider.GetRequiredService<IOptions<SyndicationOptions>>().Value.Now));

        services.AddSingleton<StorageRequests>();
        AddArticleStorage(services, configuration);
        services.AddSingleton(provider => new StorageContainers(provider.GetRequiredService<BlobServiceClient>, provider.GetRequiredService<IOptions<SyndicationOptions>>()));
        services.AddSingleton<WorkQueues>();
        services.AddSingleton<CorruptBlobs>();
        services.AddSingleton<ConfigSource>();
        services.AddSingleton<ConfigPublisher>();
        services.AddSingleton<ArticleStore>();
        services.AddSingleton<FeedStateStore>();
        services.AddSingleton<SeenItemStore>();
        services.AddSingleton<HostLimits>();
        services.AddSingleton<Outbox>();

        services.AddHttpClient<FeedFetcher>(FeedFetcher.Configure)
            .ConfigurePrimaryHttpMessageHandler(FeedFetcher.CreateHandler)
            .AddResilienceHandler("feeds", ConfigureFeedResilience);

        // The Bot API carries the token in the request path, so this client must never log its requests.
        services.AddHttpClient(TelegramNotifier.HttpClientName).RemoveAllLoggers();
        services.AddTransient<TelegramNotifier>();
        services.AddSingleton<RecentStories>(); // what each channel was alerted to lately, so one story from two feeds alerts once
        services.AddSingleton<StoryLog>(); // every feed's stories of the last hours and the sites that carried them, when a channel or rule counts them
        services.AddSingleton<StoryReader>(); // /story: a story's outlets and what each channel got
        services.AddTransient<OpmlImporter>(); // opml import: one change of the live configuration
        services.AddSingleton<HeadlineLog>(); // the last day's new articles, one append blob an hour, for /watch's preview
        services.AddSingleton<SubscriberStore>(); // people's own watches: one blob each, and the index sweeps read
        services.AddSingleton<InviteStore>(); // one-time codes for subscriptions by invitation
        services.AddSingleton<SubscriberUpkeep>(); // a person who blocked the bot is unsubscribed, and /stop forgets them
        services.AddSingleton<SweepConfigs>(); // the editors' configuration, with the subscribers' watches when they may subscribe
        services.AddSingleton<SendSlots>(); // the bot-wide limit, shared with every instance through storage
        services.AddSingleton<FloodControl>(); // one pacing budget per process, shared by every run
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<SweepMetrics>();
        services.AddTransient<EditorAlerts>();
        services.AddTransient<ChannelHealth>();
        services.AddTransient<StatusReader>();
        services.AddSingleton<BlobLeases>();

        services.AddSingleton<Failpoints>(); // inert unless a fault-injection test arms one
        services.AddTransient<FullTextExtractor>();
        services.AddTransient<FeedProcessor>();
        services.AddTransient<Dispatcher>();
        services.AddSingleton<FeedSlots>(); // one process's share of feed fetching, over every batch it works
        services.AddTransient<FeedBatchWorker>();
        services.AddTransient<Scheduler>();
        services.AddTransient<QueueWork>();
        services.AddSingleton<UndecodableMessages>();
        services.AddTransient<QueueRunner>();
        services.AddTransient<Sweeper>();
        services.AddTransient<Previewer>();

        // Editors run the bot from Telegram: the same handling behind the webhook and `syndication listen`.
        services.AddSingleton<ConfigHistory>();
        services.AddSingleton<LiveConfig>();
        services.AddSingleton<RuleFeedback>();
        services.AddTransient<EditorCommands>();
        services.AddSingleton<Pages.EditorPage>(); // holds each editor's request limit across requests
        services.AddTransient<SubscriberCommands>(); // anyone's own watches, in a private chat, when subscriptions are open
        services.AddSingleton<EditorBot>();
        services.AddSingleton<CommandLimits>(); // 20 commands a minute per person, for the process's life
        services.AddTransient<UpdateHandler>();
        services.AddTransient<Listener>();
        services.AddTransient<WebhookReceiver>();
        return services;
    }

    /// <summary>
    /// A section's settings, bound without ever throwing on a value that cannot be read, and checked by
    /// <see cref="SettingsCheck"/> whenever they are used: a wrong value reads as one line naming it. Each host decides
    /// what to check at start: the Functions app everything (<see cref="RequireDeployedSettings"/>), the CLI what its verb uses.
    /// </summary>
    static void AddSettings<TOptions>(IServiceCollection services, IConfiguration configuration, SettingsSection section) where TOptions : class
    {
        services.AddOptions<TOptions>().Configure(options => SettingsCheck.Bind(configuration, section, options));
        services.AddSingleton<IValidateOptions<TOptions>>(new SettingsValidation<TOptions>(configuration, section));
    }

    /// <summary>
    /// <c>ArticleStorage</c> is a connection string, or a section with <c>serviceUri</c> for managed identity; when it is
    /// absent, the Functions host's own <c>AzureWebJobsStorage</c> is used.
    /// </summary>
    static void AddArticleStorage(IServiceCollection services, IConfiguration configuration)
    {
        var section = StorageSection(configuration);
        if (section is null)
        {
            services.AddSingleton<BlobServiceClient>(_ => throw new StorageUnavailableException(NoStorage));
            services.AddSingleton<QueueServiceClient>(_ => throw new StorageUnavailableException(NoStorage));
            return;
        }
        // Every storage request is counted (and billed), so sweeps can report what they cost.
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(section).ConfigureOptions((options, provider) =>
            {
                options.AddPolicy(provider.GetRequiredService<StorageRequests>(), HttpPipelinePosition.PerRetry);
                Configure(options);
            });
            clients.AddQueueServiceClient(QueueSection(section)).ConfigureOptions((options, provider) =>
            {
                options.AddPolicy(provider.GetRequiredService<StorageRequests>().ForQueues, HttpPipelinePosition.PerRetry);
                Configure(options);
                // What the Functions queue trigger reads by default, so a message queued here is read there.
                options.MessageEncoding = QueueMessageEncoding.Base64;
                // One message that is not base64 is set aside, not thrown from every receive.
                options.MessageDecodingFailed += provider.GetRequiredService<UndecodableMessages>().HandleAsync;
            });
        });
    }

    /// <summary>A few quick retries ride out a blip; storage that stays down is reported within seconds, and the next run tries again.</summary>
    static void Configure(ClientOptions options)
    {
        // Not after half a minute of backoff: the next run, minutes later, tries again, and every write is idempotent.
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(4);
    }

    /// <summary>
    /// The queue service of the same account: a connection string names both; with a managed identity,
    /// <c>queueServiceUri</c> is used, else it is derived from the blob address (<c>.blob.</c> becomes <c>.queue.</c>),
    /// as the Functions host reads the same section for its queue triggers.
    /// </summary>
    static IConfiguration QueueSection(IConfigurationSection section)
    {
        if (section.Value is { Length: > 0 }) return section;
        var values = section.AsEnumerable(makePathsRelative: true).Where(p => p.Value is not null).ToDictionary(p => p.Key, p => p.Value);
        var blob = section["blobServiceUri"] ?? section["serviceUri"];
        var queue = section["queueServiceUri"] ?? blob?.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase);
        values.Remove("blobServiceUri");
        values.Remove("queueServiceUri");
        if (queue is not null) values["serviceUri"] = queue;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>
    /// What a deployed app cannot run without, checked when it starts (not at the first timer, minutes later): article
    /// storage and the bot token. Each failure names the app setting to set; the token's value is never part of it.
    /// The CLI does not call this: it runs dry without a token.
    /// </summary>
    public static IServiceCollection RequireDeployedSettings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelegramOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.BotToken), "the app setting Telegram__BotToken is not set: the app cannot send alerts without the bot's token (in Azure it is a Key Vault reference)")
            .ValidateOnStart();
        var storage = StorageSection(configuration) is null ? NoStorage : SettingsCheck.StorageProblem(configuration);
        services.AddOptions<SyndicationOptions>().Validate(_ => storage is null, storage ?? "").ValidateOnStart();
        services.AddOptions<DeliveryOptions>().ValidateOnStart(); // every section's settings, checked by SettingsValidation
        return services;
    }

    static void ConfigureFeedResilience(ResiliencePipelineBuilder<HttpResponseMessage> pipeline, ResilienceHandlerContext context)
    {
        var settings = context.ServiceProvider.GetRequiredService<IOptions<SyndicationOptions>>().Value;
        var attempt = TimeSpan.FromSeconds(settings.FeedTimeoutSeconds);
        // Timeouts and retry delays are about real sockets, so they run on the wall clock even when the app's clock
        // (the injected TimeProvider, which schedules feeds) is simulated.
        pipeline.TimeProvider = TimeProvider.System;
        if (settings.FeedRetries > 0)
        {
            pipeline.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = settings.FeedRetries,
                Delay = TimeSpan.FromMilliseconds(Math.Max(1, settings.FeedRetryDelayMilliseconds)),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                // A server that asks to wait (429, or Retry-After on any answer) is not retried inside the sweep: the
                // feed is put off until then instead, so a long Retry-After never holds up the sweep.
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Result is not { StatusCode: System.Net.HttpStatusCode.TooManyRequests } and not { Headers.RetryAfter: not null }
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
            });
        }
        pipeline.AddTimeout(attempt);
    }
}
