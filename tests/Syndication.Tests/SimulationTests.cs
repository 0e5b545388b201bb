using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// A week of five-minute sweeps on a fake clock, against real Azurite, the fake Bot API and loopback feeds that publish,
/// fail, recover, rotate their GUIDs, drop and bring back stories, edit them, and disappear.
/// </summary>
public sealed class SimulationTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    TestApp app = null!;
    DateTimeOffset start;

    /// <summary>Every story title a feed served with a 200: each must reach the channel exactly once.</summary>
    readonly ConcurrentDictionary<string, byte> served = new();

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync();
        start = app.Clock.GetUtcNow();
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    /// <summary>A feed that publishes a story every <paramref name="every"/> and keeps the newest <paramref name="window"/>.</summary>
    sealed record Publisher(string Id, TimeSpan Every, int Window)
    {
        public bool Validators { get; init; }
        public Func<TimeSpan, int?> Failure { get; init; } = _ => null;
        public Func<TimeSpan, int, string> Guid { get; init; } = (_, n) => $"https://sim.example/{n}";
        public Func<TimeSpan, int, string> Title { get; init; } = (_, n) => "";
        public Func<TimeSpan, IEnumerable<int>> Extra { get; init; } = _ => [];
    }

    Uri Serve(Publisher feed) => app.Feeds.Handle(feed.Id + ".xml", async context =>
    {
        var t = app.Clock.GetUtcNow() - start;
        if (feed.Failure(t) is { } status)
        {
            context.Response.StatusCode = status;
            return;
        }
        var newest = (int)(t / feed.Every) + 1;
        var numbers = Enumerable.Range(Math.Max(1, newest - feed.Window + 1), Math.Min(newest, feed.Window)).Concat(feed.Extra(t)).Distinct().ToList();
        var etag = $"\"{newest}-{string.Join('.', numbers)}-{string.Concat(numbers.Select(n => feed.Title(t, n)))}\"".Replace(" ", "");
        if (feed.Validators)
        {
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch == etag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }
        var items = numbers.Select(n =>
        {
            var title = $"Kayani {feed.Id} {n}";
            served.TryAdd(title, 0);
            return new Item(title + feed.Title(t, n), $"https://sim.example/{feed.Id}/{n}", Guid: feed.Guid(t, n),
                Description: $"<p>Kayani said something about {feed.Id} story {n}.</p>", Published: start + feed.Every * (n - 1));
        });
        context.Response.ContentType = "application/rss+xml";
        await context.Response.WriteAsync(Rss.WordPress("Sim " + feed.Id, [.. items]));
    });

    [Fact]
    public async Task A_week_of_sweeps_alerts_every_story_once_reports_broken_feeds_and_writes_nothing_while_nothing_changes()
    {
        var day = TimeSpan.FromDays(1);
        var publishers = new[]
        {
            new Publisher("daily", TimeSpan.FromHours(8), 5) { Validators = true },
            new Publisher("plain", TimeSpan.FromHours(12), 3),
            // Down for two days from day 2: broken after ten failures, back when the outage ends.
            new Publisher("flaky", TimeSpan.FromHours(6), 20) { Validators = true, Failure = t => t >= 2 * day && t < 4 * day ? 500 : null },
            // From day 4 its GUIDs move to https with tracking parameters; on day 5 an old story comes back for six hours.
            new Publisher("rotating", TimeSpan.FromHours(4), 4)
            {
                Guid = (t, n) => t >= 4 * day ? $"HTTPS://sim.example/{n}?utm_source=rss#top" : $"http://sim.example/{n}",
                Extra = t => t >= 5 * day && t < 5 * day + TimeSpan.FromHours(6) ? [3] : [],
            },
            // Every story is corrected two hours after it appears; the channel asks for edits.
            new Publisher("edited", TimeSpan.FromHours(12), 3) { Title = (t, n) => t >= TimeSpan.FromHours(12 * (n - 1) + 2) ? " (corrected)" : "" },
            // Gone for good on day 6.
            new Publisher("gone", TimeSpan.FromHours(24), 3) { Failure = t => t >= 6 * day ? 410 : null },
        };
        var config = app.WriteConfig(new
        {
            alerts = new { chat = "@editors_room" },
            feeds = publishers.Select(p => new { id = p.Id, url = Serve(p), backfill = 100, fullText = "never" }),
            channels = new object[]
            {
                new { id = "desk", chat = "@security_desk" },
                new { id = "corrections", chat = "@corrections_desk", onUpdate = "edit" },
            },
            rules = new object[]
            {
                new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" }, feeds = new[] { "daily", "plain", "flaky", "rotating", "gone" } },
                new { id = "edits", channels = new[] { "corrections" }, anyOf = new[] { "Kayani" }, feeds = new[] { "edited" } },
            },
        });

        var reports = new List<SweepReport>();
        while (app.Clock.GetUtcNow() - start + TimeSpan.FromMinutes(5) < TimeSpan.FromDays(7)) // 2,015 sweeps
            reports.Add(await app.SweepAsync(config));

        // Every story served is alerted exactly once.
        var alerted = app.Bot.Messages.Where(m => m.ChatId != "@editors_room").Select(m => TelegramHtml.ToPlain(m.Text).Split('\n')[0].Replace(" (corrected)", "")).ToList();
        Assert.Equal(served.Keys.Order(), alerted.Order());
        Assert.Equal(alerted.Count, alerted.Distinct().Count());
        Assert.True(alerted.Count > 80, $"{alerted.Count} stories");
        Assert.Contains("Kayani rotating 3", alerted);
        Assert.Contains(alerted, a => a.StartsWith("Kayani flaky ", StringComparison.Ordinal));

        // Edited stories were edited in place, once each, and never sent again.
        var edited = app.Bot.Messages.Where(m => m.ChatId == "@corrections_desk").ToList();
        Assert.Equal(14, edited.Count);
        Assert.Equal(edited.Count, app.Bot.Edits.Select(e => e.MessageId).Distinct().Count());
        Assert.All(edited, m => Assert.Contains("(corrected)", TelegramHtml.ToPlain(app.Bot.Current(m.MessageId).Text)));

        // Broken feeds are reported, once each way, and the outage is in the summaries while it lasts.
        var editors = app.Bot.Messages.Where(m => m.ChatId == "@editors_room").Select(m => TelegramHtml.ToPlain(m.Text)).ToList();
        Assert.Equal(3, editors.Count);
        Assert.StartsWith("⚠️ Feed flaky is broken: HTTP 500", editors[0]);
        Assert.Equal("✅ Feed flaky works again.", editors[1]);
        Assert.StartsWith("⚠️ Feed gone is broken: HTTP 410", editors[2]);
        Assert.Contains(reports, r => r.Summary.Contains("(1 broken: flaky)", StringComparison.Ordinal));
        Assert.Contains("(1 broken: gone)", reports[^1].Summary);

        // A sweep in which nothing changed writes at most the one state blob (a feed's hourly "last success"), and
        // most write nothing at all.
        var storage = reports.Aggregate(default(Syndication.Storage.StorageRequestCounts), (sum, r) => sum + r.Storage);
        output.WriteLine($"{reports.Count} sweeps; {alerted.Count} stories alerted, {app.Bot.Edits.Count} edits, {editors.Count} editor alerts; {storage}");
        var quiet = reports.Where(r => r.Feeds.All(f => f.Succeeded && (f.NotModified || f.NotDueUntil is not null)) && r.Deliveries.Count == 0).ToList();
        Assert.True(quiet.Count > reports.Count / 2, $"{quiet.Count} quiet sweeps of {reports.Count}");
        Assert.All(quiet, r => Assert.InRange(r.Storage.Writes, 0, 1));
        output.WriteLine($"{quiet.Count} quiet sweeps: {quiet.Count(r => r.Storage.Writes == 0)} wrote nothing, {quiet.Count(r => r.Storage.Writes == 1)} wrote the state blob; requests per quiet sweep {quiet.Min(r => r.Storage.Total)}–{quiet.Max(r => r.Storage.Total)}");
        Assert.True(quiet.Count(r => r.Storage.Writes == 0) > quiet.Count * 9 / 10, $"{quiet.Count(r => r.Storage.Writes == 0)} of {quiet.Count} quiet sweeps wrote nothing");
    }
}
