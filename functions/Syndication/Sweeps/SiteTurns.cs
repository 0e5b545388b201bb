namespace Syndication.Sweeps;

/// <summary>
/// Which feed a free slot reads next: the sites take turns (round-robin), each site's feeds go in the order given, and a
/// site that already has its limit of requests in flight is passed over until one of them ends. So no slot ever waits
/// on one site's limit while another site's feed could be read, however the configuration lists its feeds (a site's
/// section feeds together, as editors write them, used to hold every slot behind one site). No I/O: the batch worker
/// asks it and starts what it says.
/// </summary>
/// <typeparam name="T">What a feed is to the caller (its index in the batch).</typeparam>
public sealed class SiteTurns<T>
{
    readonly int perSite;
    readonly LinkedList<string> turns = new(); // sites with feeds waiting, the next turn first
    readonly Dictionary<string, Queue<T>> waiting = new(StringComparer.Ordinal);
    readonly Dictionary<string, int> reading = new(StringComparer.Ordinal);

    /// <param name="feeds">Each feed with its site, in the order they should go within their site.</param>
    /// <param name="perSite">Feeds of one site read at once: the per-site request limit.</param>
    public SiteTurns(IEnumerable<(string Site, T Feed)> feeds, int perSite)
    {
        this.perSite = Math.Max(1, perSite);
        foreach (var (site, feed) in feeds)
        {
            if (!waiting.TryGetValue(site, out var queue))
            {
                waiting[site] = queue = new Queue<T>();
                turns.AddLast(site);
            }
            queue.Enqueue(feed);
            Left++;
        }
    }

    /// <summary>Feeds not started yet.</summary>
    public int Left { get; private set; }

    /// <summary>
    /// The next feed to read, from the first site in turn that has room; that site then goes to the back of the turns.
    /// False when every site with feeds left is at its limit (or none is left): wait for a feed to end.
    /// </summary>
    public bool TryNext(out T feed, out string site)
    {
        for (var node = turns.First; node is not null; node = node.Next)
        {
            site = node.Value;
            if (reading.GetValueOrDefault(site) >= perSite) continue;
            var queue = waiting[site];
            feed = queue.Dequeue();
            Left--;
            reading[site] = reading.GetValueOrDefault(site) + 1;
            turns.Remove(node);
            if (queue.Count > 0) turns.AddLast(site);
            else waiting.Remove(site);
            return true;
        }
        (feed, site) = (default!, "");
        return false;
    }

    /// <summary>A feed of <paramref name="site"/> has been read: the site has room again.</summary>
    public void Done(string site)
    {
        if (reading.TryGetValue(site, out var count)) reading[site] = count - 1;
    }
}
