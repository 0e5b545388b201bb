using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Syndication.Pages;

namespace Syndication.Cli;

/// <summary>
/// <c>syndication serve</c>: the editors' page on this machine, served by Kestrel on 127.0.0.1, each request handed to
/// the same <see cref="EditorPage"/> the Functions app's trigger uses. Telegram opens Mini Apps only over https, so an
/// operator puts a tunnel (or a reverse proxy with a certificate) in front of it.
/// </summary>
static class PageServer
{
    public static async Task<int> ServeAsync(EditorPage page, int port, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port);
            kestrel.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        await using var web = builder.Build();
        var served = 0;
        web.Run(async context =>
        {
            Interlocked.Increment(ref served);
            var request = context.Request;
            var answer = await page.HandleAsync(new PageRequest(request.Method.ToUpperInvariant(), request.Path.Value ?? "/", request.Headers[EditorPage.InitDataHeader].FirstOrDefault(),
                request.ContentLength, request.Body), context.RequestAborted);
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) context.Response.Headers[name] = value;
            context.Response.ContentLength = answer.Body.Length;
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
        });
        try
        {
            await web.StartAsync(cancellationToken);
        }
        catch (IOException ex)
        {
            throw new UsageException($"--port {port}: cannot listen on 127.0.0.1:{port} ({ex.Message}); choose another port");
        }
        Console.Out.WriteLine($"The editors' page is at http://127.0.0.1:{port}{EditorPage.Root}/ (Ctrl+C stops).");
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
        }
        await web.StopAsync(CancellationToken.None);
        return served;
    }
}
