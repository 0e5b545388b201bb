namespace Syndication.Config;

/// <summary>One problem in a configuration document, located by its JSON path (for example <c>rules[2].channels[0]</c>).</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>A configuration file that cannot be read at all (missing, a folder, no permission): not an invalid one.</summary>
public sealed class ConfigUnreadableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Thrown when a configuration cannot be used; carries every problem found, not just the first.</summary>
public sealed class ConfigException(string source, IReadOnlyList<ConfigError> errors)
    : Exception($"Configuration {source} is invalid ({Counted.Of(errors.Count, "problem")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e)))
{
    public string ConfigSource { get; } = source;
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
