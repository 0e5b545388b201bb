using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// One real Azurite (blob and queue services) for the whole test run, started from the npm package pinned in package.json and stopped
/// when the test process exits. Tests isolate themselves with their own container prefix.
/// </summary>
static class Azurite
{
    static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    static Process? process;
    static string? location;

    public static string ConnectionString => Started.Value;

    public static string ConnectionStringFor(int blobPort, int queuePort) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{queuePort}/devstoreaccount1;";

    static string Start()
    {
        var executable = Path.Combine(Repo.Root, "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Azurite is not installed at {executable}; run 'npm ci' in {Repo.Root} (the test script does this for you).");

        var port = FixedFreePort();
        var queuePort = FixedFreePort(port);
        var tablePort = FixedFreePort(port, queuePort); // unused, but Azurite's table service binds one
        location = Directory.CreateTempSubdirectory("syndication-test-azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            // --disableTelemetry: offline, Azurite otherwise lingers long after SIGTERM.
            // --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks a newer service version than Azurite 3.37 announces.
            ArgumentList =
            {
                "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(),
                "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(), "--location", location, "--silent", "--disableTelemetry", "--skipApiVersionCheck",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} during start");
            try
            {
                foreach (var open in new[] { port, queuePort })
                {
                    using var client = new TcpClient();
                    client.Connect(IPAddress.Loopback, open);
                }
                if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} during start; port {port} or {queuePort} is taken by something else");
                return ConnectionStringFor(port, queuePort);
            }
            catch (SocketException)
            {
                Thread.Sleep(100);
            }
        }
        Stop();
        throw new TimeoutException($"Azurite did not open port {port} within 30 s");
    }

    static void Stop()
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        // A killed Azurite can still be closing its files for a moment, and a folder deleted then keeps what it wrote last.
        for (var attempt = 0; attempt < 10 && location is not null && Directory.Exists(location); attempt++)
        {
            try
            {
                Directory.Delete(location, recursive: true);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Thread.Sleep(200);
            }
        }
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up on Linux), so that the loopback servers the tests
    /// start meanwhile on port 0 can never take it before Azurite binds it.
    /// </summary>
    static int FixedFreePort(params int[] taken)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
            if (taken.Contains(port)) continue;
            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Taken: try another.
            }
        }
        return FreePort();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
