namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// Reads configuration values from files named by environment variables, the way container images take secrets:
/// <c>ReactiveIngest__Influx__Token_FILE=/run/secrets/influx_token</c> sets <c>ReactiveIngest:Influx:Token</c> to the
/// file's content (one trailing newline removed). Any key works, so every secret option can come from a file.
/// </summary>
/// <remarks>
/// A variable naming a missing, unreadable or oversize file (above <see cref="MaxFileBytes"/>), or set together with
/// the variable it stands for, fails the start with a message naming the variable. Files are read once, at start.
/// </remarks>
public sealed class SecretFileConfigurationSource : IConfigurationSource
{
    /// <summary>The suffix that marks a variable as naming a file.</summary>
    public const string Suffix = "_FILE";

    /// <summary>The largest secret file read (64 KiB); a larger one is refused, naming its variable.</summary>
    public const int MaxFileBytes = 64 * 1024;

    /// <summary>Only variables with this prefix are considered (default <c>ReactiveIngest__</c>).</summary>
    public string Prefix { get; init; } = "ReactiveIngest__";

    /// <summary>The environment to read; null reads the process environment when the provider loads.</summary>
    public IReadOnlyDictionary<string, string?>? Environment { get; init; }

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new SecretFileConfigurationProvider(this);
}
