using System.Net;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Syndication.Editing;

namespace Syndication.Functions;

/// <summary>
/// Telegram's webhook: editors' commands and button presses. Anonymous at the Functions level because Telegram cannot send
/// a function key; <see cref="WebhookReceiver"/> admits only requests carrying the webhook secret.
/// </summary>
public sealed class TelegramWebhook(WebhookReceiver receiver)
{
    [Function(nameof(TelegramWebhook))]
    public async Task<HttpResponseData> RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "telegram")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var secret = request.Headers.TryGetValues(WebhookReceiver.SecretHeader, out var values) ? values.FirstOrDefault() : null;
        long? length = request.Headers.TryGetValues("Content-Length", out var lengths) && long.TryParse(lengths.FirstOrDefault(), out var n) ? n : null;
        var (status, body) = await receiver.ReceiveAsync(secret, length, request.Body, cancellationToken);
        var response = request.CreateResponse((HttpStatusCode)status);
        if (body.Length > 0) await response.WriteStringAsync(body, cancellationToken);
        return response;
    }
}
