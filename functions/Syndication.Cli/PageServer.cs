using System.Net;
using Syndication.Pages;

namespace Syndication.Cli;

/// <summary>
/// <c>syndication serve</c>: the editors' page on this machine, over .NET's own HTTP listener, handing each request to
/// the same <see cref="EditorPage"/> the Functions app's trigger does. Telegram opens Mini Apps only over https, so an
/// operator puts a tunnel (or a reverse proxy with a certificate) in front of it.
/// </summary>
static class PageServer
{
    public static async Task<int> ServeAsync(EditorPage page, int port, CancellationToken cancellationToken)
    {
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new UsageException($"--port {port}: cannot listen on 127.0.0.1:{port} ({ex.Message}); choose another port");
        }
        Console.Out.WriteLine($"The editors' page is at http://127.0.0.1:{port}{EditorPage.Root}/ (Ctrl+C stops).");
        await using var stop = cancellationToken.Register(listener.Stop);
        var served = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            served++;
            _ = AnswerAsync(page, context, cancellationToken);
        }
        return served;
    }

    static async Task AnswerAsync(EditorPage page, HttpListenerContext context, CancellationToken cancellationToken)
    {
        var request = context.Request;
        using var response = context.Response;
        try
        {
            var answer = await page.HandleAsync(new PageRequest(request.HttpMethod.ToUpperInvariant(), request.Url!.AbsolutePath, request.Headers[EditorPage.InitDataHeader],
                request.ContentLength64 >= 0 && request.HasEntityBody ? request.ContentLength64 : null, request.InputStream), cancellationToken);
            response.StatusCode = answer.Status;
            response.ContentType = answer.ContentType;
            foreach (var (name, value) in answer.Headers) response.Headers[name] = value;
            response.ContentLength64 = answer.Body.Length;
            await response.OutputStream.WriteAsync(answer.Body, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await Console.Error.WriteLineAsync($"The editors' page failed to answer {request.HttpMethod} {request.Url?.AbsolutePath}: {ex.GetType().Name}: {ex.Message}");
            response.StatusCode = 500;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
