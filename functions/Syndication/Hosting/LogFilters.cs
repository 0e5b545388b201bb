using Microsoft.Extensions.Logging;

namespace Syndication.Hosting;

/// <summary>
/// What both hosts log: the app's own lines, and only warnings and errors from the libraries under it. Without these
/// filters a healthy sweep logs four lines per HTTP request, a stack trace for every article page that cannot be
/// reached, and Azure.Core's expected 404s and 409s as warnings.
/// </summary>
public static class LogFilters
{
    public static ILoggingBuilder AddSyndicationFilters(this ILoggingBuilder logging) => logging
        .AddFilter("System.Net.Http", LogLevel.Warning)
        .AddFilter("Azure", LogLevel.Warning)
        // Azure.Core logs every 404 and 409 as a warning, though a blob not found on first sight or a container that
        // exists is expected; the app reports real storage failures itself, with what failed and where.
        .AddFilter("Azure.Core", LogLevel.Error)
        .AddFilter("Polly", LogLevel.None) // the feed processor logs each failure once, with its reason
        .AddFilter("Microsoft", LogLevel.Warning)
        .SetMinimumLevel(LogLevel.Information);
}
