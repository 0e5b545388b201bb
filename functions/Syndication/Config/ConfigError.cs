namespace Syndication.Config;

/// <summary>One problem in a configuration document, located by its JSON path (for example <c>rules[2].channels[0]</c>).</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Thrown when a configuration cannot be used; carries every problem found, not just the first.</summary>
public sealed class ConfigException(string source, IReadOnlyList<ConfigError> errors)
    : Exception($"Configuration {source} is invalid ({errors.Count} problem{(errors.Count == 1 ? "" : "s")}):"
        + string.Concat(errors.Select(e => Environment.NewLine + "  " + e)))
{
    public string ConfigSource { get; } = source;
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
