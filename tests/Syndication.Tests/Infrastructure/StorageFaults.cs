using Microsoft.AspNetCore.Http;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// A real HTTP proxy on 127.0.0.1 in front of Azurite's blob service, for storage faults no test could cause otherwise:
/// every request goes through to Azurite, except those a test says to fail, which are answered as Azure answers a request
/// its caller may not make (403 AuthorizationPermissionMismatch, which the SDK does not retry). Requests are signed for the
/// account, not the host, so the app's client works through it unchanged.
/// </summary>
sealed class StorageFaults : IAsyncDisposable
{
    static readonly HttpClient Forward = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
    readonly LoopbackServer server;
    readonly Uri azurite;
    volatile Func<string, string, bool>? failing;

    StorageFaults(LoopbackServer server, Uri azurite) => (this.server, this.azurite) = (server, azurite);

    /// <summary>Requests refused so far.</summary>
    public int Refused;

    /// <summary>A connection string for the app: blobs through the proxy, queues straight to Azurite.</summary>
    public string ConnectionString => Azurite.ConnectionString.Split("BlobEndpoint=")[0]
        + $"BlobEndpoint={server.BaseAddress}devstoreaccount1;" + Azurite.ConnectionString.Split(';').First(p => p.StartsWith("QueueEndpoint=")) + ";";

    /// <summary>Fails requests for which <paramref name="predicate"/>(method, path) holds; null lets every request through.</summary>
    public void Fail(Func<string, string, bool>? predicate) => failing = predicate;

    public static async Task<StorageFaults> StartAsync()
    {
        var blob = new Uri(Azurite.ConnectionString.Split(';').First(p => p.StartsWith("BlobEndpoint="))["BlobEndpoint=".Length..]);
        StorageFaults? faults = null;
        var server = await LoopbackServer.StartAsync(context => faults!.HandleAsync(context));
        faults = new StorageFaults(server, new Uri(blob.GetLeftPart(UriPartial.Authority)));
        return faults;
    }

    async Task HandleAsync(HttpContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Path.Value ?? "");
        if (failing is { } fail && fail(context.Request.Method, path))
        {
            Interlocked.Increment(ref Refused);
            context.Response.StatusCode = 403;
            context.Response.Headers["x-ms-error-code"] = "AuthorizationPermissionMismatch";
            await context.Response.WriteAsync("<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>AuthorizationPermissionMismatch</Code><Message>This request is not authorized to perform this operation using this permission.</Message></Error>");
            return;
        }
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(azurite, context.Request.Path + context.Request.QueryString));
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0 || context.Request.ContentLength is not null)
        {
            body.Position = 0;
            request.Content = new StreamContent(body);
        }
        foreach (var (name, values) in context.Request.Headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            if (!request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values)) request.Content?.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values);
        }
        using var response = await Forward.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        context.Response.StatusCode = (int)response.StatusCode;
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers[name] = values.ToArray();
        }
        await response.Content.CopyToAsync(context.Response.Body);
    }

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
