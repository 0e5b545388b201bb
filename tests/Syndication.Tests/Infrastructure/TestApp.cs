using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Syndication.Hosting;
using Syndication.Storage;
using Syndication.Sweeps;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// The real app, wired by <see cref="ServiceCollectionExtensions.AddSyndication"/>, against real Azurite (its own
/// containers), a loopback feed server and the fake Bot API.
/// </summary>
sealed class TestApp : IAsyncDisposable
{
    public required FeedServer Feeds { get; init; }
    public required FakeBotApi Bot { get; init; }
    public required ServiceProvider Services { get; init; }
    public required CapturedLogs Logs { get; init; }
    public required string ContainerPrefix { get; init; }
    public required Dictionary<string, string?> Settings { get; init; }

    /// <summary>The app's clock. Each <see cref="SweepAsync"/> moves it five minutes on, as the timer would.</summary>
    public required FakeTimeProvider Clock { get; init; }

    /// <summary>The app runs on the system clock, and so do the processes it starts.</summary>
    public bool RealClock { get; init; }

    /// <summary>The app's storage belongs to another app, which deletes it.</summary>
    public bool SharedContainers { get; init; }

    /// <summary>
    /// The settings a process this test starts (the CLI, the Functions worker) runs with: the app's, and the app's clock
    /// as it reads now, so that the process and the test agree on the date.
    /// </summary>
    public Dictionary<string, string?> ProcessSettings() =>
        new(Settings) { ["Syndication:Now"] = RealClock ? null : Clock.GetUtcNow().ToString("O") };
    readonly string directory = Directory.CreateTempSubdirectory("syndication-test-").FullName;

    public StorageContainers Containers => Services.GetRequiredService<StorageContainers>();

    /// <param name="realClock">The app runs on the system clock (for pacing measured at the fake Bot API); <see cref="Clock"/> is then unused.</param>
    /// <param name="sharedContainers">The app uses another app's storage (its <c>ContainerPrefix</c>), which that app deletes; this one leaves it.</param>
    public static async Task<TestApp> StartAsync(Action<Dictionary<string, string?>>? configure = null, bool realClock = false, bool sharedContainers = false)
    {
        var feeds = await FeedServer.StartAsync();
        var bot = await FakeBotApi.StartAsync();
        var prefix = $"t{Guid.NewGuid():N}"[..13] + "-";
        var settings = new Dictionary<string, string?>
        {
            ["ArticleStorage"] = Azurite.ConnectionString,
            ["Syndication:ContainerPrefix"] = prefix,
            ["Syndication:FeedRetries"] = "0",
            ["Syndication:AllowPrivateNetworks"] = "true", // feeds are served from 127.0.0.1
            ["Syndication:FeedTimeoutSeconds"] = "5",
            ["Telegram:BotToken"] = FakeBotApi.Token,
            ["Telegram:ApiBaseUrl"] = bot.BaseUrl,
            ["Telegram:TimeoutSeconds"] = "5",
            // Pacing is tested on its own; elsewhere it would only make tests wait on the fake clock.
            ["Delivery:Pace"] = "false",
        };
        configure?.Invoke(settings);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var logs = new CapturedLogs();
        var clock = new FakeTimeProvider(TestClock.Start);
        var services = new ServiceCollection()
            .AddSingleton(realClock ? TimeProvider.System : clock)
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs))
            .AddSyndication(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new TestApp { Feeds = feeds, Bot = bot, Services = services, Logs = logs, ContainerPrefix = prefix, Settings = settings, Clock = clock, RealClock = realClock, SharedContainers = sharedContainers };
    }

    /// <summary>Writes a config file for this test and returns its path.</summary>
    public string WriteConfig(object config) => WriteConfig(JsonSerializer.Serialize(config));

    public string WriteConfig(string json)
    {
        var path = Path.Combine(directory, $"syndication-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    public Task<SweepReport> SweepAsync(string configPath, bool dryRun = false)
    {
        Clock.Advance(TimeSpan.FromMinutes(5));
        return Services.GetRequiredService<Sweeper>().RunAsync(configPath, dryRun, CancellationToken.None);
    }

    /// <summary>
    /// Plays the Functions host's queue listener: hands each queued message to the queue-triggered function, as the host
    /// would (with its dequeue count), and deletes it when the function returns, until both queues are empty.
    /// </summary>
    public async Task<int> RunQueueTriggersAsync()
    {
        var queues = Services.GetRequiredService<WorkQueues>();
        var sweeper = Services.GetRequiredService<Sweeper>();
        var invoked = 0;
        while (true)
        {
            var feeds = (await queues.Feeds.ReceiveMessagesAsync(32)).Value;
            var deliveries = (await queues.Deliveries.ReceiveMessagesAsync(32)).Value;
            if (feeds.Length + deliveries.Length == 0) return invoked;
            foreach (var message in feeds)
            {
                await new Syndication.Functions.WorkFeeds(sweeper).RunAsync(message.Body.ToString(), message.DequeueCount, CancellationToken.None);
                await queues.Feeds.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                invoked++;
            }
            foreach (var message in deliveries)
            {
                await new Syndication.Functions.DeliverChannel(sweeper).RunAsync(message.Body.ToString(), message.DequeueCount, CancellationToken.None);
                await queues.Deliveries.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                invoked++;
            }
        }
    }

    public async Task<List<string>> BlobNamesAsync(BlobContainerClient container)
    {
        var names = new List<string>();
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions()))
            names.Add(blob.Name);
        return names;
    }

    public async ValueTask DisposeAsync()
    {
        if (!SharedContainers)
        {
            var service = new BlobServiceClient(Azurite.ConnectionString);
            await foreach (var container in service.GetBlobContainersAsync(BlobContainerTraits.None, BlobContainerStates.None, ContainerPrefix, CancellationToken.None))
                await service.DeleteBlobContainerAsync(container.Name);
            foreach (var queue in Services.GetRequiredService<WorkQueues>().All)
                await queue.DeleteIfExistsAsync();
        }
        await Services.DisposeAsync();
        await Feeds.DisposeAsync();
        await Bot.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}
