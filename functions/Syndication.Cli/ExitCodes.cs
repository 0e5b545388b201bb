namespace Syndication.Cli;

/// <summary>The CLI's exit codes, stable for scripts.</summary>
public static class ExitCodes
{
    /// <summary>The sweep completed (some feeds may have failed; they are listed), or the config is clean.</summary>
    public const int Ok = 0;

    /// <summary>Article storage or Telegram as a whole could not be reached.</summary>
    public const int Unavailable = 1;

    /// <summary>The configuration is invalid, or the command line is.</summary>
    public const int Usage = 2;

    /// <summary><c>config push</c> found that the live configuration changed since it was pulled; nothing was overwritten.</summary>
    public const int Conflict = 3;

    /// <summary>Something failed that the CLI has no explanation for (a bug): one line, and the details with <c>--verbose</c>.</summary>
    public const int Unexpected = 70;
}
