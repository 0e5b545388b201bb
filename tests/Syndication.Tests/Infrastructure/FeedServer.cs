using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Syndication.Tests.Infrastructure;

/// <summary>Serves feeds from 127.0.0.1. A test sets what each path answers, and may change it between sweeps.</summary>
sealed class FeedServer : IAsyncDisposable
{
    readonly ConcurrentDictionary<string, (int Status, string ContentType, byte[] Body)> routes = new();
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

    public Uri Serve(string path, string body, string contentType = "application/rss+xml; charset=utf-8", int status = 200)
    {
        routes["/" + path.TrimStart('/')] = (status, contentType, Encoding.UTF8.GetBytes(body));
        return Url(path);
    }

    async Task HandleAsync(HttpContext context)
    {
        userAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
        if (!routes.TryGetValue(context.Request.Path.Value ?? "/", out var route))
        {
            context.Response.StatusCode = 404;
            return;
        }
        context.Response.StatusCode = route.Status;
        context.Response.ContentType = route.ContentType;
        await context.Response.Body.WriteAsync(route.Body);
    }

    public ValueTask DisposeAsync() => server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
