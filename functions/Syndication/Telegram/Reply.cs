namespace Syndication.Telegram;

/// <summary>A button under a reply: its label, and the command it runs when pressed.</summary>
public sealed record ReplyButton(string Text, string Command);

/// <summary>A file sent with a reply (an export): its name and bytes; the reply's text is its caption.</summary>
public sealed record ReplyDocument(string FileName, byte[] Content);

/// <summary>One answer to a command: Telegram HTML within the message limit, with buttons where a choice follows.</summary>
public sealed record Reply(string Html, IReadOnlyList<IReadOnlyList<ReplyButton>>? Buttons = null)
{
    /// <summary>A file the answer is: sent as a document with the text as its caption (within 1,024 characters).</summary>
    public ReplyDocument? Document { get; init; }
}
