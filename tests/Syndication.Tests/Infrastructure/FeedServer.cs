using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Syndication.Tests.Infrastructure;

/// <summary>Serves feeds from 127.0.0.1. A test sets what each path answers, and may change it between sweeps.</summary>
sealed class FeedServer : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, (int Status, string ContentType, byte[] Body, string? ETag)> routes = new();
    readonly ConcurrentQueue<string> conditions = new();
    readonly ConcurrentDictionary<string, Func<HttpContext, Task>> handlers = new();
    readonly ConcurrentDictionary<string, int> hits = new();

    /// <summary>A Retry-After header to add to every non-200 answer.</summary>
    public string? RetryAfter { get; set; }

    /// <summary>The If-None-Match header of every request that sent one.</summary>
    public IReadOnlyList<string> IfNoneMatch => [.. conditions];
    readonly ConcurrentQueue<string> userAgents = new();
    LoopbackServer? server;

    /// <summary>The User-Agent of every request served, in order.</summary>
    public IReadOnlyList<string> UserAgents => [.. userAgents];

    public static async Task<FeedServer> StartAsync()
    {
        var feeds = new FeedServer();
        feeds.server = await LoopbackServer.StartAsync(feeds.HandleAsync);
        return feeds;
    }

    public Uri Url(string path) => new(server!.BaseAddress, path.TrimStart('/'));

    public Uri Serve(string path, string body, string contentType = "application/rss+xml; charset=utf-8", int status = 200, string? etag = null)
    {
        routes["/" + path.TrimStart('/')] = (status, contentType, Encoding.UTF8.GetBytes(body), etag);
        return Url(path);
    }

    /// <summary>Answers <paramref name="path"/> with any behaviour: redirects, stalls, endless bodies, cache headers.</summary>
    public Uri Handle(string path, Func<HttpContext, Task> handler)
    {
        handlers["/" + path.TrimStart('/')] = handler;
        return Url(path);
    }

    /// <summary>Serves raw bytes, for encodings other than UTF-8.</summary>
    public Uri ServeBytes(string path, byte[] body, string contentType) =>
        Handle(path, async context =>
        {
            context.Response.ContentType = contentType;
            await context.Response.Body.WriteAsync(body);
        });

    /// <summary>How many requests reached <paramref name="path"/>.</summary>
    public int Hits(string path) => hits.GetValueOrDefault("/" + path.TrimStart('/'));

    async Task HandleAsync(HttpContext context)
    {
        userAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
        hits.AddOrUpdate(context.Request.Path.Value ?? "/", 1, (_, n) => n + 1);
        if (handlers.TryGetValue(context.Request.Path.Value ?? "/", out var handler))
        {
            await handler(context);
            return;
        }
        if (!routes.TryGetValue(context.Request.Path.Value ?? "/", out var route))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0) conditions.Enqueue(ifNoneMatch);
        if (route.ETag is not null)
        {
            // RFC 9110 §13.1.2: a matching If-None-Match on a GET is answered 304 without a body.
            context.Response.Headers.ETag = route.ETag;
            if (ifNoneMatch == route.ETag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }
        context.Response.StatusCode = route.Status;
        context.Response.ContentType = route.ContentType;
        if (route.Status != 200 && RetryAfter is not null) context.Response.Headers.RetryAfter = RetryAfter;
        await context.Response.Body.WriteAsync(route.Body);
    }

    public ValueTask DisposeAsync() => server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
