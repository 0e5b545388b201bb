using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Syndication.Functions;
using Syndication.Hosting;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// The Functions app's telemetry pipeline (<see cref="Telemetry.AddSyndicationTelemetry"/>), with an in-memory exporter
/// beside it: a real sweep against Azurite, loopback feeds and the fake Bot API exports every health instrument the
/// operators' alert rules and charts read.
/// </summary>
[Collection(nameof(TelemetryTests))] // a meter listener hears every "Syndication" meter in the process: no other test may run meanwhile
public sealed class TelemetryTests : IAsyncLifetime
{
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync();
    public async Task DisposeAsync() => await app.DisposeAsync();

    [Fact]
    public async Task A_sweep_exports_its_duration_feeds_alerts_and_the_outbox_through_the_apps_pipeline()
    {
        var now = app.Clock.GetUtcNow();
        var good = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(now), new Item("Kayani again", "https://news.example/2", Description: "<p>Kayani.</p>", Published: now.AddMinutes(-1))));
        var config = app.WriteConfig(new
        {
            feeds = new object[] { new { id = "pt", url = good, backfill = 5 }, new { id = "gone", url = app.Feeds.Url("gone.xml"), backfill = 5 } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });
        var exported = new List<Metric>();
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(app.Settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging().AddSyndication(configuration);
        services.AddSyndicationTelemetry(configuration).WithMetrics(metrics => metrics.AddInMemoryExporter(exported));
        await using var provider = services.BuildServiceProvider();
        var meters = provider.GetRequiredService<MeterProvider>();

        app.Bot.FailNext(100, 500); // Telegram is down: the alerts wait in the outbox, to be retried
        await provider.GetRequiredService<Sweeper>().RunAsync(config, dryRun: false, CancellationToken.None);
        meters.ForceFlush();

        var points = exported.GroupBy(m => m.Name).ToDictionary(g => g.Key, g => g.SelectMany(Points).ToList());
        Assert.Empty(app.Bot.Messages);
        Assert.Equal(2, Sum(points, "syndication.alerts.queued"));
        Assert.Equal(1, Sum(points, "syndication.alerts.retried")); // the first failure ends the channel's turn; the other alert waits too
        Assert.Equal(0, Sum(points, "syndication.alerts.sent"));
        Assert.Equal(1, Sum(points, "syndication.feeds.fetched"));
        Assert.Equal(1, Sum(points, "syndication.feeds.failed"));
        var duration = Assert.Single(points["syndication.sweep.duration"]);
        Assert.Equal(1, duration.GetHistogramCount());
        Assert.InRange(duration.GetHistogramSum(), 0.001, 60);
        // The outbox as the drain found it: both alerts waiting, the oldest queued moments ago.
        Assert.Equal(2, Assert.Single(points["syndication.outbox.depth"]).GetGaugeLastValueLong());
        Assert.InRange(Assert.Single(points["syndication.outbox.oldest_pending_age"]).GetGaugeLastValueDouble(), 0, 60);
        Assert.Contains(points["syndication.alerts.retried"], p => Tags(p).Contains(("channel", "desk")));
    }

    [Fact]
    public async Task The_sweep_summary_carries_its_figures_as_structured_properties()
    {
        var url = app.Feeds.Serve("feed/", Rss.WordPress("Pakistan Today", Fixture.Item(app.Clock.GetUtcNow())));
        var config = app.WriteConfig(new
        {
            feeds = new object[] { new { id = "pt", url, backfill = 5 }, new { id = "gone", url = app.Feeds.Url("gone.xml"), backfill = 5 } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });

        await app.SweepAsync(config);

        var line = Assert.Single(app.Logs.Lines, l => l.Contains("Sweep done:"));
        foreach (var figure in new[] { "feedsFetched=1", "feedsUnchanged=0", "feedsFailed=1", "alertsQueued=1", "alertsSent=1", "alertsDeadLettered=0", "durationSeconds=" })
            Assert.Contains(figure, line);
    }

    static IEnumerable<MetricPoint> Points(Metric metric)
    {
        foreach (ref readonly var point in metric.GetMetricPoints()) yield return point;
    }

    static long Sum(Dictionary<string, List<MetricPoint>> points, string name) =>
        points.TryGetValue(name, out var found) ? found.Sum(p => p.GetSumLong()) : 0;

    static List<(string, object?)> Tags(MetricPoint point)
    {
        var tags = new List<(string, object?)>();
        foreach (var tag in point.Tags) tags.Add((tag.Key, tag.Value));
        return tags;
    }
}

[CollectionDefinition(nameof(TelemetryTests), DisableParallelization = true)]
public sealed class TelemetryCollection;
