namespace ReactiveIngest.Service.Cli;

/// <summary>
/// The arguments the command line leaves to the host: configuration overrides in the forms the host's command-line
/// configuration reads (<c>--Key=value</c>, <c>--Key value</c>, <c>/Key=value</c>, <c>Key=value</c>), e.g.
/// <c>--ReactiveIngest:Influx:Url=http://127.0.0.1:8086</c> or <c>--contentRoot=/srv/app</c>.
/// </summary>
public static class HostArguments
{
    /// <summary>One message per argument that is not a configuration override (the host would silently ignore it).</summary>
    public static IReadOnlyList<string> Problems(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var problems = new List<string>();
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            var prefixed = argument.StartsWith("--", StringComparison.Ordinal) || argument.StartsWith('/');
            var key = argument.TrimStart('-', '/').Split('=', 2)[0];
            if (key.Length == 0 || (!prefixed && argument.StartsWith('-')))
            {
                problems.Add($"'{argument}' is not an option of this command (configuration overrides are --Key=value).");
            }
            else if (argument.Contains('=', StringComparison.Ordinal))
            {
                continue;
            }
            else if (!prefixed)
            {
                problems.Add($"'{argument}' is not a command or a configuration override (--Key=value).");
            }
            else if (i + 1 == arguments.Count)
            {
                problems.Add($"'{argument}' has no value (write {argument}=value).");
            }
            else
            {
                i++; // --Key value
            }
        }

        return problems;
    }

    /// <summary>True when the arguments set <paramref name="key"/> (e.g. <c>contentRoot</c>), in any of the override forms.</summary>
    public static bool Sets(IReadOnlyList<string> arguments, string key)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(key);
        return arguments.Any(a => a.TrimStart('-', '/').Split('=', 2)[0].Equals(key, StringComparison.OrdinalIgnoreCase));
    }
}
