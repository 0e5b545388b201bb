using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Syndication.Tests.Infrastructure;

/// <summary>A message the fake Bot API accepted.</summary>
sealed record SentMessage(string ChatId, string Text, string? ParseMode, int MessageId)
{
    /// <summary>The whole request body, for the options a test wants to check (link_preview_options, message_thread_id…).</summary>
    public JsonObject Body { get; init; } = [];

    /// <summary>When the request reached the fake API (wall clock), as Telegram counts messages against its limits.</summary>
    public DateTimeOffset Received { get; init; }
}

/// <summary>
/// An in-process stand-in for the Telegram Bot API on 127.0.0.1, answering at its root the way api.telegram.org does
/// (<c>POST /bot{token}/{method}</c>), driven by the real Telegram.Bot client. It parses HTML like Telegram, and can be
/// told to fail the next requests.
/// </summary>
sealed class FakeBotApi : IAsyncDisposable
{
    /// <summary>Shaped like a real token so the client accepts it; distinctive so a leak is easy to find.</summary>
    public const string Token = "4242:FAKE-token-NeverInLogs_abc";

    readonly ConcurrentQueue<SentMessage> messages = new();
    readonly ConcurrentQueue<SentMessage> edits = new();
    readonly ConcurrentDictionary<int, SentMessage> current = new();
    readonly ConcurrentQueue<(int Status, string Description, JsonObject? Parameters)> failures = new();
    readonly ConcurrentDictionary<string, (int Status, string Description)> rejectedChats = new();
    readonly ConcurrentDictionary<string, bool> refusedPictures = new();

    /// <summary>sendPhoto with this picture fails as Telegram fails on a URL it cannot fetch or read.</summary>
    public void RefusePicture(string url) => refusedPictures[url] = true;
    LoopbackServer? server;
    int nextMessageId = 100;
    int requests;

    public static async Task<FakeBotApi> StartAsync()
    {
        var api = new FakeBotApi();
        api.server = await LoopbackServer.StartAsync(api.HandleAsync);
        return api;
    }

    public string BaseUrl => server!.BaseAddress.ToString().TrimEnd('/');
    public IReadOnlyList<SentMessage> Messages => [.. messages];
    public int Requests => requests;

    /// <summary>Every successful editMessageText, in order, with the message as it reads after the edit.</summary>
    public IReadOnlyList<SentMessage> Edits => [.. edits];

    /// <summary>What a chat shows now: each message in its latest version.</summary>
    public SentMessage Current(int messageId) => current[messageId];

    /// <summary>The next <paramref name="count"/> sendMessage calls fail with this status, description and parameters.</summary>
    public void FailNext(int count, int status = 500, string description = "Internal Server Error", JsonObject? parameters = null)
    {
        for (var i = 0; i < count; i++) failures.Enqueue((status, description, parameters?.DeepClone().AsObject()));
    }

    /// <summary>Every message to <paramref name="chat"/> fails this way, as a chat the bot cannot post to does.</summary>
    public void RejectChat(string chat, int status = 400, string description = "Bad Request: chat not found") =>
        rejectedChats[chat] = (status, description);

    /// <summary>The chat can receive messages again.</summary>
    public void AcceptChat(string chat) => rejectedChats.TryRemove(chat, out _);

    int getMeCalls;
    int answersToLose;

    /// <summary>How often the client asked who the bot is.</summary>
    public int GetMeCalls => getMeCalls;

    /// <summary>The next <paramref name="count"/> messages are accepted (and shown) but their answers never arrive.</summary>
    public void LoseAnswers(int count) => Interlocked.Exchange(ref answersToLose, count);

    /// <summary>How long each accepted sendMessage takes to answer, to keep sends in flight.</summary>
    public TimeSpan SendDelay { get; set; }

    /// <summary>Every sendMessage attempt, in order, with the chat it was for.</summary>
    public IReadOnlyList<string> Attempts => [.. attempts];
    readonly ConcurrentQueue<string> attempts = new();

    async Task HandleAsync(HttpContext context)
    {
        var received = DateTimeOffset.UtcNow;
        Interlocked.Increment(ref requests);
        var segments = (context.Request.Path.Value ?? "").Trim('/').Split('/');
        // A file's download address, as getFile gives it: /file/bot{token}/{file_path}.
        if (segments is ["file", var owner, .. var path] && owner == "bot" + Token && files.TryGetValue(string.Join('/', path), out var download))
        {
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(download);
            return;
        }
        if (segments.Length != 2 || segments[0] != "bot" + Token)
        {
            await ReplyAsync(context, 401, Error(401, "Unauthorized"));
            return;
        }
        if (segments[1] == "getMe")
        {
            Interlocked.Increment(ref getMeCalls);
            await ReplyAsync(context, 200, new JsonObject
            {
                ["ok"] = true,
                ["result"] = new JsonObject { ["id"] = 4242, ["is_bot"] = true, ["first_name"] = "Syndication test", ["username"] = "syndication_test_bot" },
            });
            return;
        }
        if (await ConversationAsync(context, segments[1])) return;
        if (segments[1] == "sendDocument")
        {
            // Multipart, as the Bot API takes an uploaded file: the chat, the caption and the file itself.
            var form = await context.Request.ReadFormAsync();
            // The file is the part named "document", or the part "attach://NAME" names, as clients send it.
            var upload = form.Files["document"] ?? (form["document"].ToString() is { } named && named.StartsWith("attach://", StringComparison.Ordinal) ? form.Files[named["attach://".Length..]] : null);
            if (upload is null)
            {
                await ReplyAsync(context, 400, Error(400, "Bad Request: there is no document in the request"));
                return;
            }
            using var stream = new MemoryStream();
            await upload.CopyToAsync(stream);
            var caption = form["caption"].ToString();
            var documentBody = new JsonObject { ["chat_id"] = form["chat_id"].ToString(), ["caption"] = caption, ["document"] = upload.FileName, ["document_text"] = System.Text.Encoding.UTF8.GetString(stream.ToArray()) };
            var sentId = Interlocked.Increment(ref nextMessageId);
            messages.Enqueue(new SentMessage(form["chat_id"].ToString(), caption, form["parse_mode"].ToString(), sentId) { Body = documentBody, Received = received });
            await ReplyAsync(context, 200, Result(form["chat_id"].ToString(), sentId, caption));
            return;
        }
        if (segments[1] is "editMessageText" or "editMessageCaption")
        {
            await EditAsync(context, caption: segments[1] == "editMessageCaption");
            return;
        }
        if (segments[1] is not ("sendMessage" or "sendPhoto"))
        {
            await ReplyAsync(context, 404, Error(404, "Not Found: method not found"));
            return;
        }
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
        var chat = body["chat_id"]!.ToString();
        attempts.Enqueue(chat);
        if (failures.TryDequeue(out var failure))
        {
            var error = Error(failure.Status, failure.Description);
            if (failure.Parameters is not null) error["parameters"] = failure.Parameters;
            await ReplyAsync(context, failure.Status, error);
            return;
        }
        if (rejectedChats.TryGetValue(chat, out var rejected))
        {
            await ReplyAsync(context, rejected.Status, Error(rejected.Status, rejected.Description));
            return;
        }

        if (body["reply_markup"]?["inline_keyboard"] is JsonArray keyboard
            && keyboard.SelectMany(row => row!.AsArray()).Any(b => System.Text.Encoding.UTF8.GetByteCount(b!["callback_data"]?.GetValue<string>() ?? "") is 0 or > 64))
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: BUTTON_DATA_INVALID"));
            return;
        }
        var photo = segments[1] == "sendPhoto";
        var text = body[photo ? "caption" : "text"]?.GetValue<string>() ?? "";
        var parseMode = body["parse_mode"]?.GetValue<string>();
        if (parseMode?.Equals("HTML", StringComparison.OrdinalIgnoreCase) == true && TelegramHtml.Validate(text) is { } parseError)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: " + parseError));
            return;
        }
        if (!photo && TelegramHtml.ToPlain(text).Length > 4096)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: message is too long"));
            return;
        }
        if (photo && TelegramHtml.ToPlain(text).Length > 1024)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: message caption is too long"));
            return;
        }
        if (photo && (body["photo"]?.GetValueKind() != JsonValueKind.String || refusedPictures.ContainsKey(body["photo"]!.GetValue<string>())))
        {
            // What Telegram answers when it cannot fetch the URL or read what it finds there.
            await ReplyAsync(context, 400, Error(400, "Bad Request: wrong file identifier/HTTP URL specified"));
            return;
        }

        var id = Interlocked.Increment(ref nextMessageId);
        var message = new SentMessage(chat, text, parseMode, id) { Body = body, Received = received };
        messages.Enqueue(message);
        current[id] = message;
        if (Interlocked.Decrement(ref answersToLose) >= 0)
        {
            // Accepted, but the answer never comes back in time: what a dropped connection or a slow network looks like.
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { });
            return;
        }
        if (SendDelay > TimeSpan.Zero) await Task.Delay(SendDelay);
        await ReplyAsync(context, 200, Result(chat, id, text));
    }

    /// <summary>
    /// editMessageText, or editMessageCaption for a photo: the message must exist in that chat, be of that kind, and the
    /// text must differ, as Telegram requires.
    /// </summary>
    async Task EditAsync(HttpContext context, bool caption)
    {
        var body = JsonNode.Parse(await new StreamReader(context.Request.Body).ReadToEndAsync())!.AsObject();
        var chat = body["chat_id"]!.ToString();
        var id = body["message_id"]!.GetValue<int>();
        var text = body[caption ? "caption" : "text"]!.GetValue<string>();
        if (!current.TryGetValue(id, out var message) || message.ChatId != chat)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: message to edit not found"));
            return;
        }
        if (message.Body.ContainsKey("photo") != caption)
        {
            await ReplyAsync(context, 400, Error(400, caption ? "Bad Request: there is no caption in the message to edit" : "Bad Request: there is no text in the message to edit"));
            return;
        }
        if (caption && TelegramHtml.ToPlain(text).Length > 1024)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: message caption is too long"));
            return;
        }
        if (TelegramHtml.Validate(text) is { } parseError)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: " + parseError));
            return;
        }
        if (message.Text == text)
        {
            await ReplyAsync(context, 400, Error(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"));
            return;
        }
        if (caption) body["photo"] = message.Body["photo"]?.DeepClone(); // still the same picture
        var edited = message with { Text = text, Body = body };
        current[id] = edited;
        edits.Enqueue(edited);
        await ReplyAsync(context, 200, Result(chat, id, text));
    }

    // The editors' side: updates waiting for getUpdates, the webhook Telegram would post them to, and answered button presses.
    readonly List<JsonObject> updates = [];
    readonly SemaphoreSlim updateArrived = new(0);
    int nextUpdateId = 500;
    readonly ConcurrentQueue<JsonObject> callbackAnswers = new();

    /// <summary>The webhook Telegram has for the bot: its URL, secret and update types; null when none is set.</summary>
    public JsonObject? Webhook { get; private set; }

    /// <summary>The menu button the bot set for every chat (setChatMenuButton without a chat_id), as sent; null until one is set.</summary>
    public JsonNode? MenuButton { get; private set; }

    /// <summary>Every answerCallbackQuery, in order.</summary>
    public IReadOnlyList<JsonObject> CallbackAnswers => [.. callbackAnswers];

    /// <summary>How many getUpdates calls arrived.</summary>
    public int GetUpdatesCalls => getUpdatesCalls;
    int getUpdatesCalls;

    readonly ConcurrentDictionary<string, byte[]> files = new(StringComparer.Ordinal);

    /// <summary>A file someone sent the bot, as Telegram keeps it: getFile gives its path, and the path downloads it.</summary>
    public void AddFile(string fileId, byte[] content) => files[$"documents/{fileId}.opml"] = content;

    /// <summary>Queues an update for getUpdates, numbering it as Telegram does (one more than the last); returns it as sent.</summary>
    public JsonObject QueueUpdate(JsonObject update)
    {
        lock (updates)
        {
            update["update_id"] = ++nextUpdateId;
            updates.Add(update);
        }
        updateArrived.Release();
        return update;
    }

    /// <summary>The Bot API methods of a conversation with editors; false when <paramref name="method"/> is not one of them.</summary>
    async Task<bool> ConversationAsync(HttpContext context, string method)
    {
        switch (method)
        {
            case "getUpdates":
            {
                Interlocked.Increment(ref getUpdatesCalls);
                var body = await BodyAsync(context);
                if (Webhook is not null)
                {
                    await ReplyAsync(context, 409, Error(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
                    return true;
                }
                var offset = body["offset"]?.GetValue<int>() ?? 0;
                var wait = TimeSpan.FromSeconds(body["timeout"]?.GetValue<int>() ?? 0);
                var deadline = DateTimeOffset.UtcNow + wait;
                while (true)
                {
                    JsonArray result;
                    lock (updates)
                    {
                        updates.RemoveAll(u => u["update_id"]!.GetValue<int>() < offset); // confirmed by the offset, as Telegram forgets them
                        result = [.. updates.Select(u => (JsonNode)u.DeepClone())];
                    }
                    var left = deadline - DateTimeOffset.UtcNow;
                    if (result.Count > 0 || left <= TimeSpan.Zero)
                    {
                        await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = result });
                        return true;
                    }
                    try
                    {
                        await updateArrived.WaitAsync(left, context.RequestAborted);
                    }
                    catch (OperationCanceledException)
                    {
                        return true;
                    }
                }
            }
            case "setWebhook":
            {
                var body = await BodyAsync(context);
                var url = body["url"]?.GetValue<string>() ?? "";
                if (!url.StartsWith("https://", StringComparison.Ordinal))
                {
                    await ReplyAsync(context, 400, Error(400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"));
                    return true;
                }
                Webhook = body;
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = true, ["description"] = "Webhook was set" });
                return true;
            }
            case "setChatMenuButton":
                MenuButton = (await BodyAsync(context))["menu_button"]?.DeepClone();
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = true });
                return true;
            case "deleteWebhook":
                Webhook = null;
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = true, ["description"] = "Webhook was deleted" });
                return true;
            case "getWebhookInfo":
            {
                var info = new JsonObject { ["url"] = Webhook?["url"]?.GetValue<string>() ?? "", ["has_custom_certificate"] = false, ["pending_update_count"] = 0 };
                if (Webhook?["allowed_updates"] is { } allowed) info["allowed_updates"] = allowed.DeepClone();
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = info });
                return true;
            }
            case "getFile":
            {
                var body = await BodyAsync(context);
                var fileId = body["file_id"]?.GetValue<string>() ?? "";
                var path = $"documents/{fileId}.opml";
                if (!files.TryGetValue(path, out var content))
                {
                    await ReplyAsync(context, 400, Error(400, "Bad Request: invalid file_id"));
                    return true;
                }
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = new JsonObject { ["file_id"] = fileId, ["file_unique_id"] = "u" + fileId, ["file_size"] = content.Length, ["file_path"] = path } });
                return true;
            }
            case "answerCallbackQuery":
            {
                var body = await BodyAsync(context);
                if ((body["text"]?.GetValue<string>().Length ?? 0) > 200)
                {
                    await ReplyAsync(context, 400, Error(400, "Bad Request: MESSAGE_TOO_LONG"));
                    return true;
                }
                callbackAnswers.Enqueue(body);
                await ReplyAsync(context, 200, new JsonObject { ["ok"] = true, ["result"] = true });
                return true;
            }
            default:
                return false;
        }
    }

    static async Task<JsonObject> BodyAsync(HttpContext context)
    {
        var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }

    static JsonObject Result(string chat, int id, string text)
    {
        var chatId = long.TryParse(chat, out var numeric) ? numeric : -1000000000000 - Math.Abs(chat.GetHashCode() % 1000000);
        return new JsonObject
        {
            ["ok"] = true,
            ["result"] = new JsonObject
            {
                ["message_id"] = id,
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["chat"] = new JsonObject { ["id"] = chatId, ["type"] = "channel", ["username"] = chat.TrimStart('@') },
                ["text"] = TelegramHtml.ToPlain(text),
            },
        };
    }

    static JsonObject Error(int code, string description) =>
        new() { ["ok"] = false, ["error_code"] = code, ["description"] = description };

    static async Task ReplyAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(new JsonSerializerOptions()));
    }

    public ValueTask DisposeAsync() => server?.DisposeAsync() ?? ValueTask.CompletedTask;
}
