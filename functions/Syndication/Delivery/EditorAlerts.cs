using Microsoft.Extensions.Logging;
using Syndication.Config;
using Syndication.Telegram;

namespace Syndication.Delivery;

/// <summary>
/// Messages to the editors' own chat (<c>alerts.chat</c>) about the bot itself: a channel or feed that broke or recovered.
/// Best effort: a failure here is logged and never stops a sweep.
/// </summary>
public sealed partial class EditorAlerts(TelegramNotifier telegram, ILogger<EditorAlerts> logger)
{
    public async Task SendAsync(SyndicationConfig config, IEnumerable<string> messages, CancellationToken cancellationToken)
    {
        if (config.AlertsChat is not { } editors || !telegram.IsConfigured) return;
        foreach (var html in messages)
        {
            try
            {
                await telegram.SendAsync(editors, html, channel: null, cancellationToken);
            }
            catch (TelegramSendException ex)
            {
                LogNotTold(editors, ex.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Could not tell the editors' chat {Chat}: {Reason}")]
    partial void LogNotTold(string chat, string reason);
}
