namespace Syndication.Telegram;

/// <summary>A button under a reply: its label, and the command it runs when pressed.</summary>
public sealed record ReplyButton(string Text, string Command);

/// <summary>One answer to a command: Telegram HTML within the message limit, with buttons where a choice follows.</summary>
public sealed record Reply(string Html, IReadOnlyList<IReadOnlyList<ReplyButton>>? Buttons = null);
