using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Syndication.Articles;
using Syndication.Sweeps;
using Syndication.Tests.Infrastructure;

namespace Syndication.Tests;

/// <summary>
/// Real-world feeds, against real Azurite, the loopback feed server and the fake Bot API: broken and hostile responses
/// fail their feed alone with a reason; odd encodings parse; items that change keys, leave, return or are edited are
/// handled without a second alert; the server's timing and redirects are honoured and reported.
/// </summary>
public sealed class FetchingTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    static readonly DateTimeOffset Now = TestClock.Start.AddHours(-1);
    TestApp app = null!;

    public async Task InitializeAsync() => app = await TestApp.StartAsync(settings => settings["Syndication:FeedTimeoutSeconds"] = "2");
    public async Task DisposeAsync() => await app.DisposeAsync();

    string Config(IEnumerable<object> feeds, string onUpdate = "ignore") => app.WriteConfig(new
    {
        feeds,
        channels = new[] { new { id = "desk", chat = "@security_desk", onUpdate } },
        rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
    });

    static Item Story(int n, string? title = null, string? guid = null, string text = "Kayani met the delegation.") =>
        new(title ?? $"Kayani story {n}", $"https://news.example/story-{n}", Guid: guid ?? $"https://news.example/?p={n}",
            Description: $"<p>{text}</p>", Published: Now.AddMinutes(n));

    static string Feed(params Item[] items) => Rss.WordPress("News Example", items);

    /// <summary>The UTF-8 text of a feed with its XML declaration replaced, encoded with <paramref name="encoding"/>.</summary>
    static byte[] Encoded(string declaration, Encoding encoding, string title) =>
        encoding.GetBytes(Feed(Story(1, title)).Replace("<?xml version=\"1.0\" encoding=\"utf-8\"?>", declaration, StringComparison.OrdinalIgnoreCase));

    public static TheoryData<string, string> BrokenFeeds => new()
    {
        { "truncated", "malformed XML" },
        { "unquoted-attribute", "malformed XML at line 1" },
        { "html-page", "returned an HTML page" },
        { "empty-body", "the response body is empty (0 bytes)" },
        { "50-mb-body", "larger than the 10485760-byte limit" },
        { "redirect-loop", "redirect loop: " },
        { "stalls", "took longer than 2 s" },
        { "404", "HTTP 404" },
        { "410", "HTTP 410" },
        { "429", "HTTP 429" },
        { "503", "HTTP 503" },
        { "javascript-redirect", "only http and https are followed" },
    };

    [Theory]
    [MemberData(nameof(BrokenFeeds))]
    public async Task A_broken_or_hostile_feed_fails_alone_with_its_reason(string kind, string reason)
    {
        var good = app.Feeds.Serve("good.xml", Feed(Story(1)));
        var bad = kind switch
        {
            "truncated" => app.Feeds.Serve("bad", Feed(Story(2))[..300]),
            "unquoted-attribute" => app.Feeds.Serve("bad", "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title lang=en>Fish</title></channel></rss>"),
            "html-page" => app.Feeds.Serve("bad", "<!DOCTYPE html><html><body>Home</body></html>", "text/html"),
            "empty-body" => app.Feeds.Serve("bad", ""),
            "50-mb-body" => app.Feeds.Handle("bad", async context =>
            {
                context.Response.ContentType = "application/rss+xml";
                var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                for (var sent = 0; sent < 50 * 1024 * 1024 && !context.RequestAborted.IsCancellationRequested; sent += chunk.Length)
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }),
            "redirect-loop" => app.Feeds.Handle("bad", context =>
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = "/bad2";
                return Task.CompletedTask;
            }),
            "stalls" => app.Feeds.Handle("bad", async context =>
            {
                context.Response.ContentType = "application/rss+xml";
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><rss version=\"2.0\">"));
                await context.Response.Body.FlushAsync();
                await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
            }),
            "javascript-redirect" => app.Feeds.Handle("bad", context =>
            {
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = "javascript:alert(1)";
                return Task.CompletedTask;
            }),
            _ => app.Feeds.Serve("bad", "", status: int.Parse(kind)),
        };
        if (kind == "redirect-loop")
            app.Feeds.Handle("bad2", context =>
            {
                context.Response.StatusCode = 301;
                context.Response.Headers.Location = "/bad";
                return Task.CompletedTask;
            });
        if (kind == "429") app.Feeds.RetryAfter = "7200";
        var config = Config([new { id = "bad", url = bad, backfill = 5 }, new { id = "good", url = good, backfill = 5 }]);

        var started = DateTime.UtcNow;
        var report = await app.SweepAsync(config);
        var elapsed = DateTime.UtcNow - started;

        var failed = report.Feeds.Single(f => f.FeedId == "bad");
        Assert.Contains(reason, failed.Error);
        Assert.True(report.Feeds.Single(f => f.FeedId == "good").Succeeded);
        Assert.Single(app.Bot.Messages);
        Assert.Contains(app.Logs.Lines, l => l.Contains("Feed bad (") && l.Contains(reason));
        Assert.True(elapsed < TimeSpan.FromSeconds(15), $"the sweep took {elapsed}");
        if (kind == "429")
            Assert.Equal(app.Clock.GetUtcNow().AddHours(2), (await app.SweepAsync(config)).Feeds.Single(f => f.FeedId == "bad").NotDueUntil);
    }

    [Fact]
    public async Task A_server_that_asks_to_wait_is_not_retried_inside_the_sweep_but_a_plain_503_is()
    {
        await using var retrying = await TestApp.StartAsync(settings =>
        {
            settings["Syndication:FeedRetries"] = "2";
            settings["Syndication:FeedRetryDelayMilliseconds"] = "1";
        });
        var wait = retrying.Feeds.Handle("wait.xml", context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7200";
            return Task.CompletedTask;
        });
        var down = retrying.Feeds.Serve("down.xml", "", status: 503);
        var config = retrying.WriteConfig(new
        {
            feeds = new[] { new { id = "wait", url = wait }, new { id = "down", url = down } },
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });

        var started = DateTime.UtcNow;
        var report = await retrying.SweepAsync(config);

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), $"{DateTime.UtcNow - started}: {report.Summary} {string.Join("; ", report.Feeds.Select(f => f.Error))} hits {retrying.Feeds.Hits("wait.xml")}/{retrying.Feeds.Hits("down.xml")}");
        Assert.Equal(1, retrying.Feeds.Hits("wait.xml"));
        Assert.Equal(3, retrying.Feeds.Hits("down.xml"));
        Assert.Contains("HTTP 429", report.Feeds.Single(f => f.FeedId == "wait").Error);
        Assert.Equal(retrying.Clock.GetUtcNow().AddHours(2), (await retrying.SweepAsync(config)).Feeds.Single(f => f.FeedId == "wait").NotDueUntil);
    }

    [Theory]
    [InlineData("windows-1252 declared", "<?xml version=\"1.0\" encoding=\"windows-1252\"?>", 1252, null)]
    [InlineData("windows-1252 in the HTTP header only", "<?xml version=\"1.0\"?>", 1252, "windows-1252")]
    [InlineData("windows-1252 bytes labelled utf-8", "<?xml version=\"1.0\" encoding=\"utf-8\"?>", 1252, null)]
    [InlineData("utf-8 bytes labelled iso-8859-1", "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>", 65001, null)]
    [InlineData("utf-8 without any declaration", "", 65001, null)]
    [InlineData("utf-16 with a byte-order mark", "<?xml version=\"1.0\" encoding=\"utf-16\"?>", 1200, null)]
    public async Task Feeds_in_other_or_mislabelled_encodings_read_correctly(string name, string declaration, int codePage, string? httpCharset)
    {
        Assert.NotEmpty(name);
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var encoding = codePage == 1200 ? new UnicodeEncoding(false, true) : Encoding.GetEncoding(codePage);
        const string title = "Kayani’s café — “no” to €5bn";
        var bytes = Encoded(declaration, encoding, title);
        if (codePage == 1200) bytes = [.. encoding.GetPreamble(), .. bytes];
        var url = app.Feeds.ServeBytes("feed.xml", bytes, "application/rss+xml" + (httpCharset is null ? "" : "; charset=" + httpCharset));
        var config = Config([new { id = "pt", url, backfill = 5, fullText = "never" }]);

        var report = await app.SweepAsync(config);

        Assert.True(report.Feeds.Single().Succeeded, report.Feeds.Single().Error);
        Assert.Contains(title, TelegramHtml.ToPlain(Assert.Single(app.Bot.Messages).Text));
    }

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    public async Task Compressed_feeds_are_read(string encoding)
    {
        var plain = Encoding.UTF8.GetBytes(Feed(Story(1)));
        using var packed = new MemoryStream();
        await using (Stream compressor = encoding switch
        {
            "gzip" => new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new System.IO.Compression.ZLibStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
            _ => new System.IO.Compression.BrotliStream(packed, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true),
        })
            await compressor.WriteAsync(plain);
        var url = app.Feeds.Handle("feed.xml", async context =>
        {
            Assert.Contains(encoding, context.Request.Headers.AcceptEncoding.ToString());
            context.Response.Headers.ContentEncoding = encoding;
            context.Response.ContentType = "application/rss+xml";
            await context.Response.Body.WriteAsync(packed.ToArray());
        });

        var report = await app.SweepAsync(Config([new { id = "pt", url, backfill = 5, fullText = "never" }]));

        Assert.True(report.Feeds.Single().Succeeded, report.Feeds.Single().Error);
        Assert.StartsWith("Kayani story 1", TelegramHtml.ToPlain(Assert.Single(app.Bot.Messages).Text));
    }

    [Fact]
    public async Task An_edited_story_is_stored_and_by_default_sends_nothing()
    {
        var url = app.Feeds.Serve("feed.xml", Feed(Story(1)));
        var config = Config([new { id = "pt", url, backfill = 5, fullText = "never" }]);
        var first = await app.SweepAsync(config);

        app.Feeds.Serve("feed.xml", Feed(Story(1, title: "Kayani story 1 (updated)")));
        var edited = await app.SweepAsync(config);
        var stored = await app.Services.GetRequiredService<ArticleStore>().GetAsync(Article.BlobNameFor("pt", "https://news.example/?p=1"), CancellationToken.None);

        Assert.Equal(1, edited.Feeds.Single().Updated);
        Assert.Contains("1 edited", edited.Summary);
        Assert.Equal("Kayani story 1 (updated)", stored!.Title);
        Assert.Equal(app.Clock.GetUtcNow(), stored.UpdatedAt);
        Assert.Single(app.Bot.Messages);
        Assert.Empty(app.Bot.Edits);
        Assert.Equal(1, first.Feeds.Single().NewArticles);
    }

    [Fact]
    public async Task With_onUpdate_edit_the_sent_message_is_edited_in_place_once_per_version()
    {
        var url = app.Feeds.Serve("feed.xml", Feed(Story(1)));
        var config = Config([new { id = "pt", url, backfill = 5, fullText = "never" }], onUpdate: "edit");
        await app.SweepAsync(config);
        var sent = Assert.Single(app.Bot.Messages);

        app.Feeds.Serve("feed.xml", Feed(Story(1, text: "Kayani met the delegation and rejected its demands.")));
        await app.SweepAsync(config);
        await app.SweepAsync(config); // the same version again: nothing more
        app.Feeds.Serve("feed.xml", Feed(Story(1, title: "Kayani story 1: the full account", text: "Kayani met the delegation and rejected its demands.")));
        await app.SweepAsync(config);

        Assert.Single(app.Bot.Messages);
        Assert.Equal(2, app.Bot.Edits.Count);
        Assert.All(app.Bot.Edits, e => Assert.Equal(sent.MessageId, e.MessageId));
        var now = TelegramHtml.ToPlain(app.Bot.Current(sent.MessageId).Text);
        Assert.StartsWith("Kayani story 1: the full account", now);
        Assert.Contains("rejected its demands", now);
        Assert.Contains(app.Logs.Lines, l => l.Contains($"Edited message {sent.MessageId} in channel desk"));
    }

    [Fact]
    public async Task New_markup_around_the_same_text_is_not_an_edit_and_is_remembered_as_the_feed_now_writes_it()
    {
        var url = app.Feeds.Serve("feed.xml", Feed(Story(1), Story(2)));
        var config = Config([new { id = "pt", url, backfill = 5, fullText = "never" }], onUpdate: "edit");
        await app.SweepAsync(config);
        var seenStore = app.Services.GetRequiredService<Syndication.Feeds.SeenItemStore>();
        var before = (await seenStore.LoadAsync("pt", CancellationToken.None)).Items;

        // A theme update: the same words in other markup. Story 3 is new.
        app.Feeds.Serve("feed.xml", Feed(Story(1), Story(2), Story(3)).Replace("<p>Kayani", "<p class=\"lead\"><span>Kayani").Replace(".</p>", ".</span></p>"));
        var again = await app.SweepAsync(config);
        var after = (await seenStore.LoadAsync("pt", CancellationToken.None)).Items;

        Assert.Equal(0, again.Feeds.Single().Updated);
        Assert.Equal(1, again.Feeds.Single().NewArticles);
        Assert.Empty(app.Bot.Edits);
        Assert.Equal(3, app.Bot.Messages.Count);
        Assert.All(before, pair =>
        {
            Assert.Equal(pair.Value.Content, after[pair.Key].Content); // the text is the same
            Assert.NotEqual(pair.Value.Raw, after[pair.Key].Raw);      // the feed's writing of it is not
        });
    }

    [Fact]
    public async Task Items_remembered_by_an_older_build_without_the_feeds_own_hash_are_unchanged_not_edited()
    {
        var url = app.Feeds.Serve("feed.xml", Feed(Story(1), Story(2)));
        var config = Config([new { id = "pt", url, backfill = 5, fullText = "never" }], onUpdate: "edit");
        await app.SweepAsync(config);
        // What a build that hashed only the converted text stored: no raw hash, and a fingerprint of another kind.
        var seenStore = app.Services.GetRequiredService<Syndication.Feeds.SeenItemStore>();
        var seen = await seenStore.LoadAsync("pt", CancellationToken.None);
        foreach (var id in seen.Items.Keys.ToList()) seen.Items[id] = seen.Items[id] with { Raw = null };
        await seenStore.SaveAsync("pt", seen, CancellationToken.None);
        var stateStore = app.Services.GetRequiredService<Syndication.Feeds.FeedStateStore>();
        var states = await stateStore.LoadAsync(await Syndication.Config.ConfigSource.LoadFileAsync(config, CancellationToken.None), shards: null, CancellationToken.None);
        states.Set("pt", states.Get("pt")! with { ItemsFingerprint = "0123456789abcdef0123456789abcdef", ETag = null, LastModified = null });
        await stateStore.SaveAsync(states, CancellationToken.None);

        var upgraded = await app.SweepAsync(config);
        var migrated = await seenStore.LoadAsync("pt", CancellationToken.None);

        Assert.Equal(0, upgraded.Feeds.Single().Updated);
        Assert.Equal(0, upgraded.Feeds.Single().NewArticles);
        Assert.Empty(app.Bot.Edits);
        Assert.Equal(2, app.Bot.Messages.Count);
        Assert.All(migrated.Items.Values, item => Assert.Equal(16, item.Raw?.Length));
    }

    [Fact]
    public async Task Cache_control_and_expires_put_off_the_next_fetch()
    {
        var maxAge = app.Feeds.Handle("max-age.xml", async context =>
        {
            context.Response.Headers.CacheControl = "public, max-age=1800";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Feed(Story(1)));
        });
        var expires = app.Feeds.Handle("expires.xml", async context =>
        {
            var date = app.Clock.GetUtcNow();
            context.Response.Headers.Date = date.ToString("r");
            context.Response.Headers.Expires = date.AddHours(1).ToString("r");
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Feed(Story(2)));
        });
        var noCache = app.Feeds.Handle("no-cache.xml", async context =>
        {
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Feed(Story(3)));
        });
        var config = Config([new { id = "a", url = maxAge }, new { id = "b", url = expires }, new { id = "c", url = noCache }]);

        for (var i = 0; i < 24; i++) await app.SweepAsync(config); // two hours of 5-minute sweeps

        Assert.Equal(4, app.Feeds.Hits("max-age.xml")); // every 30 minutes
        Assert.Equal(2, app.Feeds.Hits("expires.xml")); // every hour
        Assert.Equal(24, app.Feeds.Hits("no-cache.xml"));
    }

    [Fact]
    public async Task A_permanent_redirect_is_followed_and_reported_by_run_status_and_check()
    {
        var target = app.Feeds.Serve("new/feed.xml", Feed(Story(1)));
        app.Feeds.Handle("old/feed.xml", context =>
        {
            context.Response.StatusCode = 301;
            context.Response.Headers.Location = "/new/feed.xml";
            return Task.CompletedTask;
        });
        app.Feeds.Serve("new/other.xml", Feed(Story(2)));
        app.Feeds.Handle("temporary.xml", context =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/new/other.xml";
            return Task.CompletedTask;
        });
        var old = app.Feeds.Url("old/feed.xml");
        var config = Config([new { id = "moved", url = old, backfill = 5 }, new { id = "temp", url = app.Feeds.Url("temporary.xml"), backfill = 5 }]);

        var report = await app.SweepAsync(config);
        var parsed = await Syndication.Config.ConfigSource.LoadFileAsync(config, CancellationToken.None);
        var states = await app.Services.GetRequiredService<Syndication.Feeds.FeedStateStore>().LoadAsync(parsed, shards: null, CancellationToken.None);
        var status = await app.Services.GetRequiredService<StatusReader>().ReadAsync(parsed, CancellationToken.None);

        Assert.Equal(target.ToString(), report.Feeds.Single(f => f.FeedId == "moved").MovedTo);
        Assert.Null(report.Feeds.Single(f => f.FeedId == "temp").MovedTo);
        Assert.Contains($"Moved permanently, update the url: moved → {target}", report.Summary);
        Assert.Contains(app.Logs.Lines, l => l.Contains($"Feed moved: {old} redirects permanently to {target}"));
        var warning = Assert.Single(states.MovedFeeds(parsed));
        Assert.Equal("feeds[0].url", warning.Path);
        Assert.Equal(target.ToString(), status.Feeds.Single(f => f.FeedId == "moved").MovedTo);
        Assert.Equal(2, app.Bot.Messages.Count); // both redirects were followed

        // The editors' check, as a process against the same storage, names the feed, its path and the new address.
        var check = await CliProcess.RunAsync(app, [], "check", "--config", config);
        Assert.Equal(0, check.ExitCode);
        Assert.Contains($"warning: feeds[0].url: '{old}' redirects permanently (301/308) to '{target}'; use the new address", check.Output);
        Assert.DoesNotContain("feeds[1]", check.Output);
    }

    [Fact]
    public async Task Requests_to_one_host_are_limited_while_the_sweep_runs_feeds_side_by_side()
    {
        await using var limited = await TestApp.StartAsync(settings =>
        {
            settings["Syndication:MaxConcurrentFeeds"] = "8";
            settings["Syndication:MaxConcurrentPerHost"] = "2";
        });
        var inFlight = 0;
        var most = 0;
        var feeds = Enumerable.Range(1, 8).Select(i => new
        {
            id = $"f{i}",
            url = limited.Feeds.Handle($"f{i}.xml", async context =>
            {
                var now = Interlocked.Increment(ref inFlight);
                lock (limited) most = Math.Max(most, now);
                await Task.Delay(150);
                Interlocked.Decrement(ref inFlight);
                context.Response.ContentType = "application/rss+xml";
                await context.Response.WriteAsync(Feed(Story(i)));
            }),
        }).ToList();
        var config = limited.WriteConfig(new
        {
            feeds,
            channels = new[] { new { id = "desk", chat = "@security_desk" } },
            rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
        });

        var report = await limited.SweepAsync(config);

        Assert.All(report.Feeds, f => Assert.True(f.Succeeded, f.Error));
        Assert.Equal(2, most);
    }

    [Fact]
    public async Task Feeds_listed_site_by_site_never_hold_the_slots_behind_one_sites_limit()
    {
        await using var sweep = await TestApp.StartAsync(settings =>
        {
            settings["Syndication:MaxConcurrentFeeds"] = "16";
            settings["Syndication:MaxConcurrentPerHost"] = "2";
        });
        var gate = new object();
        var (inFlight, most, mostAtOneSite) = (0, 0, 0);
        var bySite = new Dictionary<string, int>();
        async Task Answer(HttpContext context)
        {
            var site = context.Request.Host.ToString();
            lock (gate)
            {
                bySite[site] = bySite.GetValueOrDefault(site) + 1;
                (most, mostAtOneSite) = (Math.Max(most, ++inFlight), Math.Max(mostAtOneSite, bySite[site]));
            }
            await Task.Delay(400);
            lock (gate) (inFlight, bySite[site]) = (inFlight - 1, bySite[site] - 1);
            context.Response.ContentType = "application/rss+xml";
            await context.Response.WriteAsync(Feed(Story(1)));
        }
        // Ten sites on ten loopback addresses, six feeds each, listed site by site as editors list a site's sections.
        var sites = await Task.WhenAll(Enumerable.Range(2, 10).Select(i => LoopbackServer.StartAsync(Answer, $"127.0.0.{i}")));
        try
        {
            var config = sweep.WriteConfig(new
            {
                feeds = sites.SelectMany((site, s) => Enumerable.Range(1, 6).Select(f => new { id = $"s{s}-f{f}", url = new Uri(site.BaseAddress, $"f{f}.xml"), backfill = 0, fullText = "never" })),
                channels = new[] { new { id = "desk", chat = "@security_desk" } },
                rules = new[] { new { id = "kayani", channels = new[] { "desk" }, anyOf = new[] { "Kayani" } } },
            });

            var report = await sweep.SweepAsync(config);

            Assert.All(report.Feeds, f => Assert.True(f.Succeeded, f.Error));
            output.WriteLine($"60 feeds on 10 sites: at most {most} requests at once, {mostAtOneSite} at one site");
            Assert.Equal(2, mostAtOneSite);
            // Before: the slots filled with one site's feeds waiting on its limit, and at most about 6 were in flight.
            Assert.InRange(most, 12, 16);
        }
        finally
        {
            foreach (var site in sites) await site.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_sweep_in_which_no_feed_changed_writes_nothing_however_many_feeds()
    {
        var feeds = new List<object>();
        for (var i = 1; i <= 12; i++)
        {
            // Half answer 304 to their ETag; half have no validators and serve the same items again.
            var url = i % 2 == 0 ? app.Feeds.Serve($"f{i}.xml", Feed(Story(i)), etag: $"\"e{i}\"") : app.Feeds.Serve($"f{i}.xml", Feed(Story(i)));
            feeds.Add(new { id = $"f{i}", url, fullText = "never" });
        }
        var config = Config(feeds);

        var first = await app.SweepAsync(config);
        var again = await app.SweepAsync(config);
        var third = await app.SweepAsync(config);

        Assert.Equal(12, first.Feeds.Count(f => f.NewArticles == 1));
        Assert.All(again.Feeds, f => Assert.True(f.NotModified));
        Assert.Equal(0, again.Storage.Writes);
        Assert.Equal(0, third.Storage.Writes);
        // The outbox and state listings, the queue's length, one batch queued, taken and deleted, its shard read, the
        // queues looked at: none of it per feed.
        Assert.InRange(again.Storage.Total, 1, 12);
        Assert.Equal(again.Storage, third.Storage);
        Assert.True(first.Storage.Writes >= 12 * 2, first.Storage.ToString()); // an article and a seen-items blob per feed
    }
}
