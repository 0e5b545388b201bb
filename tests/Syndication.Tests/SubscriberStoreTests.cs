using Microsoft.Extensions.DependencyInjection;
using Syndication.Config;
using Syndication.Tests.Infrastructure;
using Syndication.Watches;

namespace Syndication.Tests;

/// <summary>People's records and the index sweeps read, in real Azurite: written conditionally, forgotten whole, rebuilt when lost.</summary>
public sealed class SubscriberStoreTests : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start;
    TestApp app = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync();
        await app.Containers.EnsureCreatedAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    SubscriberStore Store => app.Services.GetRequiredService<SubscriberStore>();

    static readonly SyndicationConfig Config = new([new FeedDefinition("dawn", new Uri("https://dawn.example/feed"), 0, null)], [], []);

    static Subscriber Person(long chatId, params string[] watches) =>
        new(chatId, "ur", [.. watches.Select(w => Assert.IsType<WatchParse.Read>(WatchText.Parse(w, Config)).Watch)], Now);

    [Fact]
    public async Task A_record_is_written_on_the_version_read_and_lands_in_the_index()
    {
        Assert.True(await Store.SaveAsync(Person(42, "Kayani"), read: null, CancellationToken.None));
        Assert.False(await Store.SaveAsync(Person(42, "IMF"), read: null, CancellationToken.None)); // someone created it first

        var (stored, etag) = (await Store.GetAsync(42, CancellationToken.None))!.Value;
        Assert.Equal("Kayani", stored.Watches.Single().Text);
        Assert.Equal("ur", stored.Language);
        Assert.True(await Store.SaveAsync(WatchEdits.Add(stored, Person(42, "IMF").Watches[0]).Changed!, etag, CancellationToken.None));
        Assert.False(await Store.SaveAsync(stored, etag, CancellationToken.None)); // that version is gone

        var indexed = Assert.Single((await Store.IndexAsync(CancellationToken.None)).Subscribers);
        Assert.Equal(["Kayani", "IMF"], indexed.Watches.Select(w => w.Text));
    }

    [Fact]
    public async Task Many_people_saving_at_once_all_land_in_the_index()
    {
        await Task.WhenAll(Enumerable.Range(1, 20).Select(i => Task.Run(() => Store.SaveAsync(Person(i, $"term{i}"), null, CancellationToken.None))));

        var index = await Store.IndexAsync(CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), index.Subscribers.Select(s => s.ChatId).Order());
        Assert.Equal(20, index.WatchCount);
    }

    [Fact]
    public async Task Stop_forgets_the_person_in_their_record_and_in_the_index()
    {
        await Store.SaveAsync(Person(7, "Kayani"), null, CancellationToken.None);
        await Store.SaveAsync(Person(8, "IMF"), null, CancellationToken.None);

        Assert.True(await Store.DeleteAsync(7, CancellationToken.None));
        Assert.False(await Store.DeleteAsync(7, CancellationToken.None)); // nothing left to forget

        Assert.Null(await Store.GetAsync(7, CancellationToken.None));
        Assert.Equal([8L], (await Store.IndexAsync(CancellationToken.None)).Subscribers.Select(s => s.ChatId));
        Assert.DoesNotContain(await app.BlobNamesAsync(app.Containers.Feeds), n => n.Contains("/7.json", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_lost_index_is_rebuilt_from_the_peoples_records()
    {
        await Store.SaveAsync(Person(1, "Kayani"), null, CancellationToken.None);
        await Store.SaveAsync(Person(2, "IMF", "army chief"), null, CancellationToken.None);
        await app.Containers.Feeds.GetBlobClient("subscribers/_index.json").DeleteAsync();

        var index = await Store.IndexAsync(CancellationToken.None);

        Assert.Equal([1L, 2L], index.Subscribers.Select(s => s.ChatId));
        Assert.Equal(3, index.WatchCount);
    }

    [Fact]
    public async Task Storage_not_made_yet_has_nobody_in_it_so_the_first_sweep_of_a_new_deployment_runs()
    {
        await app.Containers.Feeds.DeleteAsync();

        Assert.Empty((await Store.IndexAsync(CancellationToken.None)).Subscribers);
    }

    [Fact]
    public async Task Watches_are_compiled_once_per_change_of_the_index_the_configuration_or_a_mute()
    {
        var configs = app.Services.GetRequiredService<Sweeps.SweepConfigs>();
        var editors = Config with { Subscriptions = SubscriptionMode.Open };
        await Store.SaveAsync(Person(42, "Kayani"), read: null, CancellationToken.None);
        await Store.SaveAsync(Person(44, "IMF") with { MutedUntil = Now.AddHours(1) }, read: null, CancellationToken.None);

        var first = await configs.WithWatchesAsync(editors, CancellationToken.None);
        var again = await configs.WithWatchesAsync(editors, CancellationToken.None);

        Assert.Same(first, again);
        Assert.Same(Rules.RuleMatcher.For(first), Rules.RuleMatcher.For(again));
        Assert.Equal([Subscriber.RuleFor(42, 1)], first.Rules.Select(r => r.Id)); // 44 is muted

        await Store.SaveAsync(Person(43, "IMF"), read: null, CancellationToken.None);
        var changed = await configs.WithWatchesAsync(editors, CancellationToken.None);
        Assert.NotSame(first, changed);
        Assert.Equal([Subscriber.RuleFor(42, 1), Subscriber.RuleFor(43, 1)], changed.Rules.Select(r => r.Id));
        Assert.Same(changed, await configs.WithWatchesAsync(editors, CancellationToken.None));

        app.Clock.Advance(TimeSpan.FromHours(2)); // 44's mute ends with no change to the index
        Assert.Contains(Subscriber.RuleFor(44, 1), (await configs.WithWatchesAsync(editors, CancellationToken.None)).Rules.Select(r => r.Id));
        Assert.NotSame(changed, await configs.WithWatchesAsync(editors with { AlertsChat = "@editors" }, CancellationToken.None));
    }
}
