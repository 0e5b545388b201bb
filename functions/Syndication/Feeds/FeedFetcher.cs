using Microsoft.Extensions.DependencyInjection;
using System.Net;
using Microsoft.Extensions.Options;
using Syndication.Hosting;

namespace Syndication.Feeds;

/// <summary>The raw bytes of a feed, with the content type the server announced.</summary>
public sealed record FetchedFeed(Uri Url, byte[] Content, string? MediaType, string? Charset)
{
    /// <summary>The server's validators, sent back on the next fetch (RFC 9110 §13.1).</summary>
    public string? ETag { get; init; }
    public string? LastModified { get; init; }

    /// <summary>304: nothing changed since the validators were issued; there is no body to parse.</summary>
    public bool NotModified { get; init; }
}

/// <summary>Downloads feeds with the app's own <see cref="HttpClient"/>: bounded in time and in size.</summary>
public sealed class FeedFetcher(HttpClient http, IOptions<SyndicationOptions> options)
{
    const string FeedTypes = "application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5";
    const string PageTypes = "text/html, application/xhtml+xml;q=0.9";

    /// <summary>Fetches a feed, conditionally when validators from the last fetch are given: a 304 costs no body and no parsing.</summary>
    public Task<FetchedFeed> FetchAsync(Uri url, CancellationToken cancellationToken, string? etag = null, string? lastModified = null) =>
        GetAsync(url, FeedTypes, cancellationToken, etag, lastModified);

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
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.ParseAdd(accept);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        if (lastModified is not null) request.Headers.TryAddWithoutValidation("If-Modified-Since", lastModified);

        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new FeedFetchException($"could not connect: {(ex.InnerException is HttpRequestException inner ? inner.Message : ex.Message)}", ex);
        }
        catch (Exception ex) when (ex is Polly.Timeout.TimeoutRejectedException || ex is OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new FeedFetchException($"timed out after {options.Value.FeedTimeoutSeconds} s", ex);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotModified)
                return new FetchedFeed(url, [], null, null) { NotModified = true, ETag = etag, LastModified = lastModified };
            if (!response.IsSuccessStatusCode)
                throw new FeedFetchException($"HTTP {(int)response.StatusCode} {ReasonOf(response)}")
                {
                    StatusCode = (int)response.StatusCode,
                    RetryAfter = response.Headers.RetryAfter is { } retry
                        ? retry.Delta ?? (retry.Date is { } date ? date - DateTimeOffset.UtcNow : null)
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
            return new FetchedFeed(response.RequestMessage?.RequestUri ?? url, content, type?.MediaType, type?.CharSet)
            {
                ETag = response.Headers.ETag?.ToString(),
                LastModified = response.Content.Headers.LastModified?.ToString("r"),
            };
        }
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

    /// <summary>Wires the typed client: User-Agent, decompression, redirect cap, and retries for idempotent GETs.</summary>
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
        AllowAutoRedirect = true,
        MaxAutomaticRedirections = 5,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
