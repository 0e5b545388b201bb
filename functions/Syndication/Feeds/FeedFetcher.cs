using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Syndication.Primitives;
using Syndication.Settings;

namespace Syndication.Feeds;

/// <summary>The raw bytes of a feed, with the content type the server announced.</summary>
public sealed record FetchedFeed(Uri Url, byte[] Content, string? MediaType, string? Charset)
{
    /// <summary>The server's validators, sent back on the next fetch (RFC 9110 §13.1).</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>304: nothing changed since the validators were issued; there is no body to parse.</summary>
    public bool NotModified { get; init; }

    /// <summary>Where every redirect on the way was permanent (301/308): the address editors should use instead.</summary>
    public Uri? MovedTo { get; init; }

    /// <summary>How long the server said the response stays fresh (Cache-Control max-age or Expires).</summary>
    public TimeSpan? FreshFor { get; init; }
}

/// <summary>Downloads feeds with the app's own <see cref="HttpClient"/>: bounded in time and in size.</summary>
public sealed class FeedFetcher(HttpClient http, HostLimits hosts, IOptions<SyndicationOptions> options, TimeProvider time)
{
    /// <summary>Redirects followed before a fetch fails.</summary>
    public const int MaxRedirects = 5;

    const string FeedTypes = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
    const string PageTypes = "text/html, application/xhtml+xml;q=0.9";

    /// <summary>Fetches a feed, conditionally when validators from the last fetch are given: a 304 costs no body and no parsing.</summary>
    public Task<FetchedFeed> FetchAsync(Uri url, CancellationToken cancellationToken, string? etag = null, string? lastModified = null) =>
        GetAsync(url, FeedTypes, cancellationToken, etag, lastModified);

    /// <summary>
    /// How long an editor's command may spend reading a page or a feed, retries and a followed feed included: the feeds'
    /// own time limit, and at most 15 s, so an editor waiting on a slow site hears back while the question is fresh.
    /// </summary>
    public TimeSpan CommandReadLimit => TimeSpan.FromSeconds(Math.Min(15, options.Value.FeedTimeoutSeconds));

    /// <summary>
    /// Reads the address as a feed; an HTML page is searched for the feed it advertises, which is read instead. How a feed
    /// an editor adds is checked, one at a time (<c>/addfeed</c>) or from a file (an OPML import).
    /// </summary>
    public async Task<(Uri Address, ParsedFeed Feed)> ReadFeedAsync(Uri address, CancellationToken cancellationToken)
    {
        var fetched = await FetchAsync(address, cancellationToken);
        try
        {
            return (address, FeedParser.Parse(fetched));
        }
        catch (FeedFetchException) when (FeedParser.AdvertisedFeed(fetched) is { } advertised && Uri.TryCreate(advertised, UriKind.Absolute, out var feed) && feed != address)
        {
            return (feed, FeedParser.Parse(await FetchAsync(feed, cancellationToken)));
        }
    }

    /// <summary>An article's web page, with the same limits as a feed; anything but HTML is refused.</summary>
    public async Task<FetchedFeed> FetchPageAsync(Uri url, CancellationToken cancellationToken)
    {
        var page = await GetAsync(url, PageTypes, cancellationToken);
        if (page.MediaType is not ("text/html" or "application/xhtml+xml"))
            throw new FeedFetchException($"the article link returned {page.MediaType ?? "no content type"}, not an HTML page");
        return page;
    }

    async Task<FetchedFeed> GetAsync(Uri url, string accept, CancellationToken cancellationToken, string? etag = null, string? lastModified = null)
    {
        var limit = options.Value.MaxFeedBytes;
        var current = url;
        var visited = new List<Uri> { url };
        var permanent = true;
        HttpResponseMessage response;
        RateLimitLease hostLease;
        while (true)
        {
            hostLease = await hosts.AcquireAsync(current, cancellationToken);
            try
            {
                response = await SendAsync(current, accept, etag, lastModified, cancellationToken);
            }
            catch
            {
                hostLease.Dispose();
                throw;
            }
            if ((int)response.StatusCode is not (301 or 302 or 303 or 307 or 308) || response.Headers.Location is not { } location)
                break;

            // Redirects are followed here, not by the handler, to tell a permanent move (which editors should know
            // about) from a temporary one, and to name the loop when there is one.
            var next = new Uri(current, location);
            permanent &= response.StatusCode is HttpStatusCode.MovedPermanently or HttpStatusCode.PermanentRedirect;
            response.Dispose();
            hostLease.Dispose();
            if (!HttpAddresses.IsHttp(next))
                throw new FeedFetchException($"redirected to {next.Scheme}: URL {next}; only http and https are followed");
            if (visited.Contains(next))
                throw new FeedFetchException($"redirect loop: {string.Join(" → ", visited.Append(next))}");
            visited.Add(next);
            if (visited.Count > MaxRedirects + 1)
                throw new FeedFetchException($"more than {MaxRedirects} redirects: {string.Join(" → ", visited)}");
            current = next;
        }

        using (hostLease)
        using (response)
        {
            var moved = permanent && visited.Count > 1 ? current : null;
            var freshFor = FreshnessOf(response);
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FetchedFeed(current, [], null, null) { NotModified = true, ETag = etag, LastModified = lastModified, MovedTo = moved, FreshFor = freshFor };
            if (!response.IsSuccessStatusCode)
                throw new FeedFetchException($"HTTP {(int)response.StatusCode} {ReasonOf(response)}")
                {
                    StatusCode = (int)response.StatusCode,
                    RetryAfter = response.Headers.RetryAfter is { } retry
                        ? retry.Delta ?? (retry.Date is { } date ? date - (response.Headers.Date ?? time.GetUtcNow()) : null)
                        : null,
                };

            if (response.Content.Headers.ContentLength > limit)
                throw new FeedFetchException($"feed is {response.Content.Headers.ContentLength} bytes, over the {limit}-byte limit");

            // The resilience pipeline times the request up to the headers; the body gets its own budget against slow trickles.
            using var bodyTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            bodyTimeout.CancelAfter(TimeSpan.FromSeconds(options.Value.FeedTimeoutSeconds));
            byte[] content;
            try
            {
                content = await ReadBoundedAsync(response.Content, limit, bodyTimeout.Token);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new FeedFetchException($"reading the feed took longer than {options.Value.FeedTimeoutSeconds} s", ex);
            }
            catch (IOException ex)
            {
                throw new FeedFetchException($"the connection broke while reading the feed: {ex.Message}", ex);
            }
            var type = response.Content.Headers.ContentType;
            return new FetchedFeed(current, content, type?.MediaType, type?.CharSet)
            {
                ETag = response.Headers.ETag?.ToString(),
                LastModified = response.Content.Headers.LastModified?.ToString("r"),
                MovedTo = moved,
                FreshFor = freshFor,
            };
        }
    }

    async Task<HttpResponseMessage> SendAsync(Uri url, string accept, string? etag, string? lastModified, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (lastModified is not null) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new FeedFetchException($"could not connect to {url.Authority}: {(ex.InnerException is HttpRequestException inner ? inner.Message : ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is Polly.Timeout.TimeoutRejectedException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new FeedFetchException($"{url.Authority} did not answer within {options.Value.FeedTimeoutSeconds} s", ex);
        }
    }

    /// <summary>
    /// How long the server says the response stays fresh (RFC 9111 §4.2.1): <c>max-age</c> less <c>Age</c>, else
    /// <c>Expires</c> less <c>Date</c>; nothing for <c>no-cache</c> or <c>no-store</c>.
    /// </summary>
    TimeSpan? FreshnessOf(HttpResponseMessage response)
    {
        var cache = response.Headers.CacheControl;
        if (cache is { NoCache: true } or { NoStore: true }) return null;
        if (cache?.MaxAge is { } maxAge) return maxAge - (response.Headers.Age ?? TimeSpan.Zero);
        if (response.Content.Headers.Expires is { } expires) return expires - (response.Headers.Date ?? time.GetUtcNow());
        return null;
    }

    /// <summary>Reads at most <paramref name="limit"/> bytes, so a runaway response cannot exhaust memory.</summary>
    static async Task<byte[]> ReadBoundedAsync(HttpContent content, long limit, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
                throw new FeedFetchException($"feed is larger than the {limit}-byte limit");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    static string ReasonOf(HttpResponseMessage response) =>
        response.ReasonPhrase is { Length: > 0 } reason ? reason : response.StatusCode.ToString();

    /// <summary>Wires the typed client: User-Agent and a backstop timeout; the handler adds decompression and the address guard.</summary>
    internal static void Configure(IServiceProvider services, HttpClient http)
    {
        var settings = services.GetRequiredService<IOptions<SyndicationOptions>>().Value;
        http.DefaultRequestHeaders.UserAgent.Clear();
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", settings.UserAgent);
        // The resilience pipeline owns timeouts; this is only a backstop for a pipeline misconfiguration.
        http.Timeout = TimeSpan.FromSeconds(settings.FeedTimeoutSeconds * (settings.FeedRetries + 2));
    }

    internal static HttpMessageHandler CreateHandler(IServiceProvider services) => new SocketsHttpHandler
    {
        ConnectCallback = PrivateNetworks.ConnectCallback(services.GetRequiredService<IOptions<SyndicationOptions>>().Value.AllowPrivateNetworks),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false, // FeedFetcher follows redirects itself, MaxRedirects at most
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
