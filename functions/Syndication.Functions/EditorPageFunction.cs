using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Syndication.Pages;

namespace Syndication.Functions;

/// <summary>
/// The editors' page, a Telegram Mini App, at <c>/api/app</c>: anonymous at the Functions level because Telegram opens it
/// in a browser; <see cref="EditorPage"/> admits only editors whose launch data this bot's token signed.
/// </summary>
public sealed class EditorPageFunction(EditorPage page)
{
    [Function("EditorPage")]
    public async Task<HttpResponseData> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "app/{*rest}")] HttpRequestData request, CancellationToken cancellationToken)
    {
        string? Header(string name) => request.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
        long? length = long.TryParse(Header("Content-Length"), out var n) ? n : null;
        // The host serves functions under /api; the page's own paths start at /app.
        var path = request.Url.AbsolutePath.StartsWith("/api/", StringComparison.Ordinal) ? request.Url.AbsolutePath[4..] : request.Url.AbsolutePath;
        var answer = await page.HandleAsync(new PageRequest(request.Method.ToUpperInvariant(), path, Header(EditorPage.InitDataHeader), length, request.Body), cancellationToken);
        var response = request.CreateResponse((HttpStatusCode)answer.Status);
        response.Headers.Add("Content-Type", answer.ContentType);
        foreach (var (name, value) in answer.Headers) response.Headers.Add(name, value);
        await response.Body.WriteAsync(answer.Body, cancellationToken);
        return response;
    }
}
