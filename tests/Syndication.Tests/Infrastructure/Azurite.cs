using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// One real Azurite blob service for the whole test run, started from the npm package pinned in package.json and stopped
/// when the test process exits. Tests isolate themselves with their own container prefix.
/// </summary>
static class Azurite
{
    static readonly Lazy<string> Started = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);
    static Process? process;
    static string? location;

    public static string ConnectionString => Started.Value;

    public static string ConnectionStringFor(int port) =>
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";

    static string Start()
    {
        var executable = Path.Combine(Repo.Root, "node_modules", ".bin", "azurite-blob");
        if (!File.Exists(executable))
            throw new InvalidOperationException($"Azurite is not installed at {executable}; run 'npm ci' in {Repo.Root} (the test script does this for you).");

        var port = FixedFreePort();
        location = Directory.CreateTempSubdirectory("syndication-test-azurite-").FullName;
        var start = new ProcessStartInfo(executable)
        {
            // --disableTelemetry: offline, Azurite otherwise lingers long after SIGTERM.
            // --skipApiVersionCheck: Azure.Storage.Blobs 12.30 speaks a newer service version than Azurite 3.37 announces.
            ArgumentList = { "--blobHost", "127.0.0.1", "--blobPort", port.ToString(), "--location", location, "--silent", "--disableTelemetry", "--skipApiVersionCheck" },
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
                using var client = new TcpClient();
                client.Connect(IPAddress.Loopback, port);
                if (process.HasExited) throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} during start; port {port} is taken by something else");
                return ConnectionStringFor(port);
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
            if (location is not null) Directory.Delete(location, recursive: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            // Best effort at process exit.
        }
    }

    /// <summary>
    /// A free port below the kernel's ephemeral range (32768 and up on Linux), so that the loopback servers the tests
    /// start meanwhile on port 0 can never take it before Azurite binds it.
    /// </summary>
    static int FixedFreePort()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, 32000);
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
