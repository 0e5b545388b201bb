using System.Text.Json.Nodes;

namespace Syndication.Tests.Infrastructure;

/// <summary>
/// Updates shaped as Telegram sends them (https://core.telegram.org/bots/api#update): a message with its sender, chat and
/// <c>bot_command</c> entity, or a pressed inline button (<c>callback_query</c>).
/// </summary>
static class TelegramUpdates
{
    static int nextMessageId = 7000;

    public static JsonObject Message(long user, string text, long? chat = null, string chatType = "private", string firstName = "Ayesha", string? chatUsername = null)
    {
        var chatObject = new JsonObject { ["id"] = chat ?? user, ["type"] = chatType };
        if (chatType == "private") chatObject["first_name"] = firstName;
        else chatObject["title"] = "Editors";
        if (chatUsername is not null) chatObject["username"] = chatUsername;
        var message = new JsonObject
        {
            ["message_id"] = Interlocked.Increment(ref nextMessageId),
            ["from"] = new JsonObject { ["id"] = user, ["is_bot"] = false, ["first_name"] = firstName, ["language_code"] = "en" },
            ["chat"] = chatObject,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["text"] = text,
        };
        if (text.StartsWith('/'))
            message["entities"] = new JsonArray(new JsonObject { ["offset"] = 0, ["length"] = text.Split(' ')[0].Length, ["type"] = "bot_command" });
        return new JsonObject { ["message"] = message };
    }

    public static JsonObject Press(long user, string data, long chat, int messageId = 101, string firstName = "Ayesha") => new()
    {
        ["callback_query"] = new JsonObject
        {
            ["id"] = $"{user}{Interlocked.Increment(ref nextMessageId)}",
            ["from"] = new JsonObject { ["id"] = user, ["is_bot"] = false, ["first_name"] = firstName },
            ["message"] = new JsonObject
            {
                ["message_id"] = messageId,
                ["from"] = new JsonObject { ["id"] = 4242, ["is_bot"] = true, ["first_name"] = "Syndication test" },
                ["chat"] = new JsonObject { ["id"] = chat, ["type"] = chat == user ? "private" : "supergroup" },
                ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                ["text"] = "an earlier reply",
            },
            ["chat_instance"] = "-1234567890",
            ["data"] = data,
        },
    };

    /// <summary>Numbers an update for the webhook, as Telegram does; each call gives the next id.</summary>
    public static JsonObject Numbered(JsonObject update, int id)
    {
        update["update_id"] = id;
        return update;
    }
}
