namespace Syndication.Primitives;

/// <summary>An error in one line, for logs and reports: its first line, without the stack or the service's details below it.</summary>
public static class ErrorText
{
    public static string FirstLine(this Exception exception) => FirstLine(exception.Message);

    public static string FirstLine(string message) => message.Split('\n')[0];
}
