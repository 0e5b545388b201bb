using Syndication.Sweeps;

namespace Syndication.Tests;

/// <summary>Which feed a free slot reads next, decided without I/O: the sites take turns, and a site at its limit is passed over.</summary>
public sealed class SiteTurnsTests
{
    /// <summary>Starts feeds until no site has room, and returns them in the order started.</summary>
    static List<string> StartAll(SiteTurns<string> turns)
    {
        var started = new List<string>();
        while (turns.TryNext(out var feed, out _)) started.Add(feed);
        return started;
    }

    [Fact]
    public void Feeds_listed_site_by_site_are_started_site_after_site_up_to_each_sites_limit()
    {
        // As editors list them: a site's section feeds together.
        var feeds = new[] { "a1", "a2", "a3", "a4", "b1", "b2", "b3", "c1" }.Select(f => (Site: f[..1], Feed: f));
        var turns = new SiteTurns<string>(feeds, perSite: 2);

        Assert.Equal(["a1", "b1", "c1", "a2", "b2"], StartAll(turns));
        Assert.Equal(3, turns.Left);
    }

    [Fact]
    public void A_site_with_room_again_gets_its_next_feed_in_the_order_given()
    {
        var feeds = new[] { "a1", "a2", "a3", "b1" }.Select(f => (Site: f[..1], Feed: f));
        var turns = new SiteTurns<string>(feeds, perSite: 1);
        Assert.Equal(["a1", "b1"], StartAll(turns));

        turns.Done("b"); // b has nothing left: still nothing to start
        Assert.False(turns.TryNext(out _, out _));
        turns.Done("a");
        Assert.True(turns.TryNext(out var next, out var site));
        Assert.Equal(("a2", "a"), (next, site));
        turns.Done("a");
        Assert.Equal(["a3"], StartAll(turns));
        Assert.Equal(0, turns.Left);
    }

    [Theory]
    [InlineData(10, 30, 2, 16)] // 300 feeds on 10 sites: every one of 16 slots can go to a site with room
    [InlineData(3, 30, 2, 6)]   // 3 sites at 2 each: 6 at once is all the sites allow, whatever the slots
    [InlineData(1, 5, 4, 4)]
    public void As_many_feeds_are_read_at_once_as_the_slots_and_the_sites_allow_in_either_order(int sites, int feedsPerSite, int perSite, int atOnce)
    {
        var bySite = Enumerable.Range(0, sites).SelectMany(s => Enumerable.Range(0, feedsPerSite).Select(f => (Site: $"s{s}", Feed: $"s{s}-{f}"))).ToList();
        var interleaved = bySite.OrderBy(f => f.Feed[(f.Feed.IndexOf('-') + 1)..].PadLeft(4, '0')).ToList();

        foreach (var order in new[] { bySite, interleaved })
        {
            var turns = new SiteTurns<string>(order, perSite);
            var started = new List<string>();
            while (started.Count < 16 && turns.TryNext(out var feed, out _)) started.Add(feed);
            Assert.Equal(atOnce, started.Count);
            Assert.All(started.GroupBy(f => f[..f.IndexOf('-')]), site => Assert.InRange(site.Count(), 1, perSite));
        }
    }
}
