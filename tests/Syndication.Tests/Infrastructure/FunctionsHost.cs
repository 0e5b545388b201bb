using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Azure.WebJobs.Script.Grpc.Messages;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Syndication.Tests.Infrastructure;

/// <summary>The worker process stopped before the host could use it; <see cref="Output"/> is what it printed.</summary>
sealed class WorkerExitedException(int exitCode, string output)
    : Exception($"the worker exited with code {exitCode} before the handshake completed:\n{output}")
{
    public int ExitCode { get; } = exitCode;
    public string Output { get; } = output;
}

/// <summary>
/// The Azure Functions host's side of its protocol with a language worker, enough to run the built
/// <c>Syndication.Functions</c> worker as Azure does: it serves gRPC <c>FunctionRpc.EventStream</c> on 127.0.0.1, launches
/// the worker as a child process with the host's command line and the app's settings as environment variables, and
/// completes the handshake the host performs: <c>StartStream</c>, <c>WorkerInitRequest</c>, worker indexing
/// (<c>FunctionsMetadataRequest</c>) and a <c>FunctionLoadRequest</c> per function. Then it invokes functions with the
/// payloads the host sends, cancels invocations, and keeps every <c>RpcLog</c> the worker streams back.
/// </summary>
sealed class FunctionsHost : IAsyncDisposable
{
    static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(60);

    readonly WebApplication server;
    readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> pending = new();
    readonly TaskCompletionSource<IServerStreamWriter<StreamingMessage>> connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    readonly SemaphoreSlim writing = new(1, 1);
    readonly ConcurrentQueue<string> output = new();
    readonly CancellationTokenSource stopping = new();
    Process? worker;

    FunctionsHost(WebApplication server) => this.server = server;

    /// <summary>The worker's id and the request id of its start, as the host makes them up.</summary>
    public string WorkerId { get; } = Guid.NewGuid().ToString();

    public string RequestId { get; } = Guid.NewGuid().ToString();

    /// <summary>Every log line the worker streamed over <c>RpcLog</c>.</summary>
    public ConcurrentQueue<RpcLog> Logs { get; } = new();

    /// <summary>The functions the worker declared and loaded, by name.</summary>
    public IReadOnlyDictionary<string, RpcFunctionMetadata> Functions { get; private set; } = new Dictionary<string, RpcFunctionMetadata>();

    /// <summary>The capabilities the worker declared in its init response.</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>What the worker process printed to stdout and stderr, as the host captures it.</summary>
    public string Output => string.Join('\n', output);

    /// <summary>
    /// The built worker's folder: the Functions app as it is deployed (its dll, <c>functions.metadata</c>, <c>host.json</c>).
    /// <c>SYNDICATION_WORKER_DIR</c> points it at another build, such as a ReadyToRun publish, for the start-up benchmark.
    /// </summary>
    public static string AppDirectory => Environment.GetEnvironmentVariable("SYNDICATION_WORKER_DIR") is { Length: > 0 } other
        ? other
        : Path.Combine(Repo.Root, "functions", "Syndication.Functions", "bin", Repo.Configuration, "net10.0");

    /// <summary>From launching the worker process to the last function loaded: the part of a cold start the worker owns.</summary>
    public TimeSpan StartedIn { get; private set; }

    /// <summary>Starts the host and the worker with <paramref name="settings"/> (keys as in configuration, <c>:</c> or <c>__</c>) and completes the handshake.</summary>
    public static async Task<FunctionsHost> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => { o.MaxReceiveMessageSize = null; o.MaxSendMessageSize = null; });
        var holder = new Holder(); // an instance the server's container never disposes
        builder.Services.AddSingleton(holder);
        var app = builder.Build();
        app.MapGrpcService<EventStreamService>();
        var host = holder.Host = new FunctionsHost(app);
        await app.StartAsync();
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            var clock = Stopwatch.StartNew();
            host.Launch(address, settings);
            await host.HandshakeAsync();
            host.StartedIn = clock.Elapsed;
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    void Launch(Uri address, IReadOnlyDictionary<string, string?> settings)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppDirectory, "Syndication.Functions.dll"));
        // The command line the Functions host gives a worker: the current form, then the older one it still passes.
        foreach (var arg in new[]
        {
            "--functions-uri", address.ToString(), "--functions-worker-id", WorkerId, "--functions-request-id", RequestId,
            "--functions-grpc-max-message-length", int.MaxValue.ToString(),
            "--host", address.Host, "--port", address.Port.ToString(), "--workerId", WorkerId, "--requestId", RequestId,
            "--grpcMaxMessageLength", int.MaxValue.ToString(),
            // Not the host's: names the test run's temp folder, so scripts/test.sh stops a worker a killed test left behind.
            "--test-host-temp", Path.GetTempPath(),
        })
            start.ArgumentList.Add(arg);
        // Only what an Azure deployment sets: nothing of the test process's own environment leaks into the worker's settings.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("Syndication", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Telegram", StringComparison.OrdinalIgnoreCase) || k.StartsWith("Delivery", StringComparison.OrdinalIgnoreCase)).ToList())
            start.Environment.Remove(key);
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = AppDirectory;
        start.Environment["FUNCTIONS_WORKER_DIRECTORY"] = AppDirectory;
        start.Environment["AzureWebJobsScriptRoot"] = AppDirectory;
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in settings)
            if (value is not null) start.Environment[key.Replace(":", "__")] = value;

        worker = new Process { StartInfo = start, EnableRaisingEvents = true };
        worker.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        worker.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        worker.Start();
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
    }

    async Task HandshakeAsync()
    {
        await Expect(Key(StreamingMessage.ContentOneofCase.StartStream, WorkerId), null);

        var init = new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.1044.0", FunctionAppDirectory = AppDirectory, WorkerDirectory = AppDirectory },
        };
        init.WorkerInitRequest.Capabilities.Add("RpcHttpBodyOnly", "true");
        init.WorkerInitRequest.LogCategories.Add("Worker", RpcLog.Types.Level.Information);
        var initialized = await Expect(Key(StreamingMessage.ContentOneofCase.WorkerInitResponse, init.RequestId), init);
        Succeeded(initialized.WorkerInitResponse.Result, "init");
        Capabilities = initialized.WorkerInitResponse.Capabilities.ToDictionary();

        var indexing = new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = AppDirectory },
        };
        var metadata = (await Expect(Key(StreamingMessage.ContentOneofCase.FunctionMetadataResponse, indexing.RequestId), indexing)).FunctionMetadataResponse;
        Succeeded(metadata.Result, "indexing");

        var functions = new Dictionary<string, RpcFunctionMetadata>();
        foreach (var function in metadata.FunctionMetadataResults)
        {
            var load = new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
            };
            var loaded = (await Expect(Key(StreamingMessage.ContentOneofCase.FunctionLoadResponse, function.FunctionId), load)).FunctionLoadResponse;
            Succeeded(loaded.Result, $"loading {function.Name}");
            functions[function.Name] = function;
        }
        Functions = functions;
    }

    /// <summary>
    /// Invokes a timer-triggered function as the host's timer does (<see cref="StartTimer"/>) and waits for its answer.
    /// </summary>
    public async Task<InvocationResponse> InvokeTimerAsync(string functionName, TimeSpan? timeout = null) =>
        await StartTimer(functionName, timeout).Response;

    /// <summary>Sends the host's <c>InvocationCancel</c> for an invocation under way.</summary>
    public Task CancelAsync(string invocationId) =>
        SendAsync(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = invocationId, GracePeriod = Duration.FromTimeSpan(TimeSpan.Zero) } });

    /// <summary>
    /// Starts a timer-triggered function as the host's timer does: the <c>TimerInfo</c> JSON in the trigger's binding and
    /// the <c>sys</c> trigger metadata. Returns the invocation's id, to cancel it, and its answer to come.
    /// </summary>
    public (string InvocationId, Task<InvocationResponse> Response) StartTimer(string functionName, TimeSpan? timeout = null)
    {
        var function = Functions[functionName];
        var trigger = function.Bindings.Single(b => b.Value.Type == "timerTrigger").Key;
        var now = DateTimeOffset.UtcNow;
        var timer = $$"""{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"{{now.AddMinutes(-5):O}}","Next":"{{now.AddMinutes(5):O}}","LastUpdated":"{{now.AddMinutes(-5):O}}"},"IsPastDue":false}""";
        var invocationId = Guid.NewGuid().ToString();
        var request = new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            InvocationRequest = new InvocationRequest { InvocationId = invocationId, FunctionId = function.FunctionId, TraceContext = new RpcTraceContext() },
        };
        request.InvocationRequest.InputData.Add(new ParameterBinding { Name = trigger, Data = new TypedData { Json = timer } });
        request.InvocationRequest.TriggerMetadata.Add("sys", new TypedData { Json = $$"""{"MethodName":"{{functionName}}","UtcNow":"{{now:O}}","RandGuid":"{{Guid.NewGuid()}}"}""" });

        var response = Expect(Key(StreamingMessage.ContentOneofCase.InvocationResponse, invocationId), request, timeout ?? TimeSpan.FromSeconds(120));
        return (invocationId, Answer(response));

        static async Task<InvocationResponse> Answer(Task<StreamingMessage> message) => (await message).InvocationResponse;
    }

    /// <summary>
    /// Invokes an HTTP-triggered function as the host does for a request it received: the request as <c>RpcHttp</c> in the
    /// trigger's binding (headers, body and raw body), its headers and query as trigger metadata. The answer carries the
    /// function's response in its return value.
    /// </summary>
    public async Task<InvocationResponse> InvokeHttpAsync(string functionName, string url, IReadOnlyDictionary<string, string> headers, byte[] body, TimeSpan? timeout = null,
        string method = "POST")
    {
        var function = Functions[functionName];
        var trigger = function.Bindings.Single(b => b.Value.Type == "httpTrigger").Key;
        var invocationId = Guid.NewGuid().ToString();
        var http = new RpcHttp
        {
            Method = method, Url = url,
            Body = new TypedData { Bytes = Google.Protobuf.ByteString.CopyFrom(body) },
            RawBody = new TypedData { Bytes = Google.Protobuf.ByteString.CopyFrom(body) },
        };
        foreach (var (name, value) in headers)
        {
            http.Headers.Add(name.ToLowerInvariant(), value);
            http.NullableHeaders.Add(name.ToLowerInvariant(), new NullableString { Value = value });
        }
        var request = new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            InvocationRequest = new InvocationRequest { InvocationId = invocationId, FunctionId = function.FunctionId, TraceContext = new RpcTraceContext() },
        };
        request.InvocationRequest.InputData.Add(new ParameterBinding { Name = trigger, Data = new TypedData { Http = http } });
        var metadata = request.InvocationRequest.TriggerMetadata;
        metadata.Add("Headers", new TypedData { Json = System.Text.Json.JsonSerializer.Serialize(headers) });
        metadata.Add("Query", new TypedData { Json = "{}" });
        metadata.Add("sys", new TypedData { Json = $$"""{"MethodName":"{{functionName}}","UtcNow":"{{DateTimeOffset.UtcNow:O}}","RandGuid":"{{Guid.NewGuid()}}"}""" });
        return (await Expect(Key(StreamingMessage.ContentOneofCase.InvocationResponse, invocationId), request, timeout ?? TimeSpan.FromSeconds(60))).InvocationResponse;
    }

    /// <summary>
    /// Invokes a queue-triggered function as the host's queue listener does: the message text in the trigger's binding, and
    /// the message's id, dequeue count and times as trigger metadata.
    /// </summary>
    public async Task<InvocationResponse> InvokeQueueAsync(string functionName, Azure.Storage.Queues.Models.QueueMessage message, TimeSpan? timeout = null) =>
        await StartQueue(functionName, message, timeout).Response;

    /// <summary>Starts a queue-triggered function (<see cref="InvokeQueueAsync"/>); returns the invocation's id, to cancel it, and its answer to come.</summary>
    public (string InvocationId, Task<InvocationResponse> Response) StartQueue(string functionName, Azure.Storage.Queues.Models.QueueMessage message, TimeSpan? timeout = null)
    {
        var function = Functions[functionName];
        var trigger = function.Bindings.Single(b => b.Value.Type == "queueTrigger").Key;
        var invocationId = Guid.NewGuid().ToString();
        var request = new StreamingMessage
        {
            RequestId = Guid.NewGuid().ToString(),
            InvocationRequest = new InvocationRequest { InvocationId = invocationId, FunctionId = function.FunctionId, TraceContext = new RpcTraceContext() },
        };
        request.InvocationRequest.InputData.Add(new ParameterBinding { Name = trigger, Data = new TypedData { String = message.Body.ToString() } });
        var metadata = request.InvocationRequest.TriggerMetadata;
        metadata.Add("Id", new TypedData { String = message.MessageId });
        metadata.Add("PopReceipt", new TypedData { String = message.PopReceipt });
        metadata.Add("DequeueCount", new TypedData { Json = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        metadata.Add("InsertionTime", new TypedData { Json = $"\"{message.InsertedOn:O}\"" });
        metadata.Add("ExpirationTime", new TypedData { Json = $"\"{message.ExpiresOn:O}\"" });
        metadata.Add("NextVisibleTime", new TypedData { Json = $"\"{message.NextVisibleOn:O}\"" });
        metadata.Add(trigger, new TypedData { String = message.Body.ToString() });
        metadata.Add("sys", new TypedData { Json = $$"""{"MethodName":"{{functionName}}","UtcNow":"{{DateTimeOffset.UtcNow:O}}","RandGuid":"{{Guid.NewGuid()}}"}""" });
        var response = Expect(Key(StreamingMessage.ContentOneofCase.InvocationResponse, invocationId), request, timeout ?? TimeSpan.FromSeconds(120));
        return (invocationId, Answer(response));

        static async Task<InvocationResponse> Answer(Task<StreamingMessage> message) => (await message).InvocationResponse;
    }

    /// <summary>
    /// Plays the host's queue listener until every queue a function is triggered by is empty: each message goes to its
    /// function; a success deletes it, a failure makes it visible again (the host's <c>visibilityTimeout</c> of 0), and the
    /// dequeue count rises with each attempt. Returns every invocation's answer.
    /// </summary>
    public async Task<IReadOnlyList<(string Function, InvocationResponse Response)>> RunQueueListenerAsync(IReadOnlyDictionary<string, string?> settings, int maxRounds = 50)
    {
        var service = new Azure.Storage.Queues.QueueServiceClient(settings["ArticleStorage"], new Azure.Storage.Queues.QueueClientOptions { MessageEncoding = Azure.Storage.Queues.QueueMessageEncoding.Base64 });
        // The queue a trigger reads is in its raw binding, as an app setting (%FeedQueue%) the host resolves.
        var triggers = Functions.Values.SelectMany(f => f.RawBindings.Select(raw => System.Text.Json.JsonDocument.Parse(raw).RootElement)
                .Where(b => b.GetProperty("type").GetString() == "queueTrigger")
                .Select(b => (f.Name, Queue: settings[b.GetProperty("queueName").GetString()!.Trim('%')]!)))
            .ToList();
        var answers = new List<(string, InvocationResponse)>();
        for (var round = 0; round < maxRounds; round++)
        {
            var invoked = 0;
            foreach (var (name, queueName) in triggers)
            {
                var queue = service.GetQueueClient(queueName);
                if (!(await queue.ExistsAsync()).Value) continue;
                foreach (var message in (await queue.ReceiveMessagesAsync(16, TimeSpan.FromMinutes(5))).Value)
                {
                    var response = await InvokeQueueAsync(name, message);
                    answers.Add((name, response));
                    invoked++;
                    if (response.Result.Status == StatusResult.Types.Status.Success) await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                    else await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
                }
            }
            if (invoked == 0) return answers;
        }
        throw new TimeoutException($"the queues were not empty after {maxRounds} rounds");
    }

    /// <summary>Asks the worker to stop, as the host does when it shuts down, and waits for the process to exit.</summary>
    public async Task<int> TerminateAsync(TimeSpan grace)
    {
        await SendAsync(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(grace) } });
        using var timeout = new CancellationTokenSource(grace + TimeSpan.FromSeconds(30));
        await worker!.WaitForExitAsync(timeout.Token);
        return worker.ExitCode;
    }

    static string Key(StreamingMessage.ContentOneofCase kind, string id) => $"{kind}:{id}";

    static void Succeeded(StatusResult result, string step)
    {
        if (result.Status != StatusResult.Types.Status.Success)
            throw new InvalidOperationException($"the worker failed {step}: {result.Exception?.Message}\n{result.Exception?.StackTrace}");
    }

    /// <summary>Sends <paramref name="request"/> (if any) and waits for the message filed under <paramref name="key"/>, or for the worker to exit.</summary>
    async Task<StreamingMessage> Expect(string key, StreamingMessage? request, TimeSpan? timeout = null)
    {
        var answer = pending.GetOrAdd(key, _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (request is not null) await SendAsync(request);
        var exited = worker!.WaitForExitAsync(stopping.Token);
        var finished = await Task.WhenAny(answer.Task, exited, Task.Delay(timeout ?? HandshakeTimeout, stopping.Token));
        if (finished == answer.Task) return await answer.Task;
        if (finished == exited && worker.HasExited)
        {
            worker.WaitForExit(); // flushes the redirected output
            throw new WorkerExitedException(worker.ExitCode, Output);
        }
        throw new TimeoutException($"no {key} from the worker within {timeout ?? HandshakeTimeout}:\n{Output}");
    }

    async Task SendAsync(StreamingMessage message)
    {
        var stream = await connected.Task.WaitAsync(HandshakeTimeout);
        await writing.WaitAsync();
        try
        {
            await stream.WriteAsync(message);
        }
        finally
        {
            writing.Release();
        }
    }

    /// <summary>What the worker sent: a log is kept; an answer completes whoever waits for it.</summary>
    void Receive(StreamingMessage message)
    {
        var key = message.ContentCase switch
        {
            StreamingMessage.ContentOneofCase.StartStream => message.StartStream.WorkerId, // the worker names itself, with no request id
            StreamingMessage.ContentOneofCase.WorkerInitResponse => message.RequestId,
            StreamingMessage.ContentOneofCase.FunctionMetadataResponse => message.RequestId,
            StreamingMessage.ContentOneofCase.FunctionLoadResponse => message.FunctionLoadResponse.FunctionId,
            StreamingMessage.ContentOneofCase.InvocationResponse => message.InvocationResponse.InvocationId,
            _ => null,
        };
        if (message.ContentCase == StreamingMessage.ContentOneofCase.RpcLog) Logs.Enqueue(message.RpcLog);
        else output.Enqueue($"[host] received {message.ContentCase} {message.RequestId}");
        if (key is not null)
            pending.GetOrAdd(Key(message.ContentCase, key), _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        if (worker is not null && !worker.HasExited)
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
        worker?.Dispose();
        await server.StopAsync();
        await server.DisposeAsync();
    }

    /// <summary>The gRPC service the worker connects to: one bidirectional stream for the worker's whole life.</summary>
    sealed class Holder
    {
        public FunctionsHost Host { get; set; } = null!;
    }

    sealed class EventStreamService(Holder holder) : FunctionRpc.FunctionRpcBase
    {
        readonly FunctionsHost host = holder.Host;

        public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
        {
            host.output.Enqueue("[host] the worker connected");
            host.connected.TrySetResult(responseStream);
            try
            {
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, host.stopping.Token);
                await foreach (var message in requestStream.ReadAllAsync(stop.Token))
                    host.Receive(message);
            }
            catch (OperationCanceledException)
            {
            }
            catch (IOException)
            {
                // The worker went away: the process's exit tells the waiting test why.
            }
        }
    }
}
