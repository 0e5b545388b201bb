using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Syndication.Articles;
using Syndication.Config;
using Syndication.Editing;
using Syndication.Sweeps;
using Syndication.Telegram;

namespace Syndication.Pages;

/// <summary>A request to the editors' page, apart from HTTP plumbing: what the Functions trigger and <c>syndication serve</c> both hand over.</summary>
public sealed record PageRequest(string Method, string Path, string? InitData, long? ContentLength, Stream Body);

/// <summary>The page's answer: status, type, body, and the headers every answer carries.</summary>
public sealed record PageResponse(int Status, string ContentType, byte[] Body)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = EditorPage.SecurityHeaders;
}

/// <summary>
/// The editors' page, a Telegram Mini App: a static page (<c>/app</c>) and a small JSON API (<c>/app/api/…</c>) that
/// answers only editors whose Telegram launch data this bot's token signed within the hour (<see cref="MiniAppAuth"/>),
/// 60 requests a minute each. It reads what <c>/rules</c>, <c>/feeds</c> and <c>/history</c>
/// read, leaves every decision to <see cref="EditorPagePlan"/>, and changes the configuration as commands do: a rule's
/// edit through <see cref="ConfigEdits.SetRule"/> and <see cref="LiveConfig"/> (validated, If-Match, recorded), Undo as
/// <c>/undo</c> itself.
/// </summary>
public sealed class EditorPage(LiveConfig live, ConfigHistory history, StatusReader status, RuleFeedback feedback, ArticleStore articles,
    EditorCommands commands, CommandLimits limits, IOptions<TelegramOptions> telegram, TimeProvider time, ILogger<EditorPage> logger)
{
    public const string Root = "/app";

    /// <summary>
    /// Where the page is, from an address beside it: the Functions app's webhook (<c>https://x/api/telegram</c> →
    /// <c>https://x/api/app/</c>), or the public root of <c>serve</c> (<c>https://tunnel/</c> → <c>https://tunnel/app/</c>).
    /// </summary>
    public static Uri AddressBeside(Uri address) => new(address, Root.TrimStart('/') + "/");
    public const string InitDataHeader = "X-Telegram-Init-Data";
    public const int MaxBody = 64 * 1024;

    /// <summary>How many of the newest stored articles a rule being edited is tried on.</summary>
    public const int TrialArticles = 500;

    /// <summary>
    /// Sent with every answer: scripts, styles and requests only from this app (and Telegram's own script), framing only by
    /// Telegram's web clients, no referrer, no sniffing.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> SecurityHeaders = new Dictionary<string, string>
    {
        ["Content-Security-Policy"] = "default-src 'none'; script-src 'self' https://telegram.org; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            + "frame-ancestors https://web.telegram.org https://webk.telegram.org https://webz.telegram.org; base-uri 'none'; form-action 'none'",
        ["X-Content-Type-Options"] = "nosniff",
        ["Referrer-Policy"] = "no-referrer",
        ["Cache-Control"] = "no-store",
    };

    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>Requests a minute per editor (<see cref="CommandLimits.PagePerMinute"/>).</summary>
    public const int PerMinute = CommandLimits.PagePerMinute;

    public async Task<PageResponse> HandleAsync(PageRequest request, CancellationToken cancellationToken)
    {
        // The page's addresses are relative (app.js, api/…), so it is always served as a folder: /app/, not /app.
        if (request.Method == "GET" && request.Path == Root)
            return new PageResponse(308, "text/plain; charset=utf-8", []) { Headers = new Dictionary<string, string>(SecurityHeaders) { ["Location"] = "app/" } };
        var path = request.Path.TrimEnd('/');
        if (!path.StartsWith(Root + "/api/", StringComparison.Ordinal))
            return request.Method == "GET" && Asset(path) is { } asset ? asset : Problem(404, "There is no such page.");

        if (request.ContentLength > MaxBody) return Problem(413, $"The request is {request.ContentLength:N0} bytes; the page sends at most {MaxBody / 1024} KB.");
        var auth = MiniAppAuth.Check(request.InitData, telegram.Value.BotToken, time.GetUtcNow());
        if (auth is PageAuth.Refused refused)
        {
            logger.LogWarning("The editors' page refused a request to {Path}: {Why}", path, refused.Why);
            return Problem(401, "Refused: " + refused.Why + ".");
        }
        var signed = (PageAuth.Signed)auth;
        if (await live.ReadAsync(cancellationToken) is not { } current) return Problem(503, "There is no live configuration yet; an operator publishes one with `syndication config push FILE`.");
        if (current.Config.FindEditor(signed.User) is not { } editor)
        {
            logger.LogWarning("The editors' page refused Telegram user {User}, who is not an editor", signed.User);
            return Problem(403, "This page is for the bot's editors, and you are not one of them. An admin can add you to \"editors\".");
        }
        if (!limits.TryPage(editor.User)) return Problem(429, $"Too many requests: at most {PerMinute} a minute. Wait a minute and try again.");

        byte[] body;
        try
        {
            body = await ReadBodyAsync(request.Body, cancellationToken);
        }
        catch (InvalidDataException ex)
        {
            return Problem(413, ex.Message);
        }
        var route = path[(Root.Length + "/api/".Length)..].Split('/');
        try
        {
            return (request.Method, route) switch
            {
                ("GET", ["overview"]) => Answer(await OverviewAsync(editor, current.Config, current.Json, cancellationToken)),
                ("POST", ["rules", var id, "try"]) => Answer(await TryAsync(current.Json, current.Config, id, Read<RuleForm>(body), cancellationToken)),
                ("POST", ["rules", var id]) => await SaveAsync(editor, current.Config, id, Read<RuleForm>(body), cancellationToken),
                ("POST", ["undo"]) => await UndoAsync(editor, current.Config, Read<UndoForm>(body), cancellationToken),
                _ => Problem(404, "There is no such request."),
            };
        }
        catch (JsonException ex)
        {
            return Problem(400, $"The request is not what the page sends: {ex.Message}");
        }
    }

    sealed record UndoForm(string? Confirm);

    async Task<object> OverviewAsync(EditorDefinition editor, SyndicationConfig config, string json, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var figures = await feedback.FiguresAsync(config.Rules, cancellationToken);
        var feeds = await status.FeedsAsync(config, cancellationToken);
        var stored = await articles.ListAsync(now - TimeSpan.FromDays(EditorPagePlan.FeedDays + 1), cancellationToken);
        var changes = await history.ListAsync(30, json, cancellationToken);
        return new
        {
            Editor = new { editor.Name, Role = editor.Role.ToString().ToLowerInvariant() },
            Now = now,
            Channels = config.Channels.Select(c => c.Id),
            FeedIds = config.Feeds.Select(f => f.Id),
            Tags = config.Feeds.SelectMany(f => f.Tags ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal),
            Fields = ArticleFields.All.Select(f => f.Name),
            Rules = EditorPagePlan.Rules(config, figures, now),
            Feeds = EditorPagePlan.Feeds(config, feeds, [.. stored.Select(s => (s.FeedId, s.At))], now),
            History = EditorPagePlan.Changes(changes),
        };
    }

    async Task<RuleTrial> TryAsync(string json, SyndicationConfig config, string id, RuleForm form, CancellationToken cancellationToken)
    {
        var root = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        SyndicationConfig edited;
        try
        {
            ConfigEdits.SetRule(root, config, id, form);
            edited = ConfigParser.Parse(root.ToJsonString(), "the page's form");
        }
        catch (EditRefusedException ex) when (ex.NothingToChange)
        {
            edited = config;
        }
        catch (EditRefusedException ex)
        {
            return new RuleTrial(0, 0, [], [ex.Message]);
        }
        catch (ConfigException ex)
        {
            return new RuleTrial(0, 0, [], [.. ex.Errors.Take(10).Select(e => e.ToString())]);
        }
        var newest = await NewestAsync(cancellationToken);
        return EditorPagePlan.Trial(edited, id, newest);
    }

    async Task<PageResponse> SaveAsync(EditorDefinition editor, SyndicationConfig config, string id, RuleForm form, CancellationToken cancellationToken)
    {
        var outcome = await live.ChangeAsync(editor.User, editor.Name, EditorCommands.PageRuleCommand + id, (root, config) => ConfigEdits.SetRule(root, config, id, form), cancellationToken);
        return outcome switch
        {
            ChangeOutcome.Done done => Answer(new { Done = true, Message = "Saved, and live: " + done.Message + ". Undo is under History." }),
            ChangeOutcome.Conflict conflict => Problem(409, conflict.Message),
            _ => Problem(422, outcome.Message),
        };
    }

    /// <summary>Undo is <c>/undo</c> itself: the same roles, and someone else's change named first, to confirm.</summary>
    async Task<PageResponse> UndoAsync(EditorDefinition editor, SyndicationConfig config, UndoForm form, CancellationToken cancellationToken)
    {
        var command = form.Confirm is { } confirm && confirm.StartsWith("/undo ", StringComparison.Ordinal) && confirm.Length < 100 ? confirm : "/undo";
        var reply = await commands.RunAsync(editor, command, config, cancellationToken);
        var text = reply is null ? "" : global::Telegram.Bot.Extensions.HtmlText.ToPlain(reply.Html);
        var confirmWith = reply?.Buttons?.SelectMany(row => row).FirstOrDefault(b => b.Command.StartsWith("/undo ", StringComparison.Ordinal))?.Command;
        return Answer(new { Done = text.StartsWith("Done", StringComparison.Ordinal), Message = text, Confirm = confirmWith });
    }

    /// <summary>How long the newest articles read for one trial serve the next: an editor typing asks for a trial at each pause.</summary>
    public static readonly TimeSpan TrialArticlesFor = TimeSpan.FromMinutes(1);

    sealed record NewestRead(DateTimeOffset ReadAt, IReadOnlyList<Article> Articles);

    volatile NewestRead? newest; // one reference, read and replaced whole by concurrent requests

    /// <summary>The <see cref="TrialArticles"/> newest stored articles, read at most once a minute (500 reads each time), whoever asks.</summary>
    async Task<IReadOnlyList<Article>> NewestAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (newest is { } kept && now - kept.ReadAt < TrialArticlesFor) return kept.Articles;
        var read = await articles.NewestAsync(TrialArticles, cancellationToken);
        newest = new NewestRead(now, read);
        return read;
    }

    static async Task<byte[]> ReadBodyAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBody) throw new InvalidDataException($"The request is over {MaxBody / 1024} KB; the page sends at most that.");
        }
        return buffer.ToArray();
    }

    static T Read<T>(byte[] body) => JsonSerializer.Deserialize<T>(body, Json) ?? throw new JsonException("the body is empty");

    static PageResponse Answer(object value) => new(200, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(value, Json));

    static PageResponse Problem(int status, string message) =>
        new(status, "application/json; charset=utf-8", JsonSerializer.SerializeToUtf8Bytes(new { Error = message }, Json));

    /// <summary>The page's own files, built into the app: the page, its style and its script.</summary>
    static PageResponse? Asset(string path)
    {
        var (name, type) = path switch
        {
            Root => ("index.html", "text/html; charset=utf-8"),
            Root + "/app.css" => ("app.css", "text/css; charset=utf-8"),
            Root + "/app.js" => ("app.js", "text/javascript; charset=utf-8"),
            _ => (null, null),
        };
        if (name is null) return null;
        using var stream = typeof(EditorPage).Assembly.GetManifestResourceStream("page/" + name);
        if (stream is null) return null;
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return new PageResponse(200, type!, copy.ToArray());
    }
}
