using ReactiveIngest.Service.Configuration;

namespace ReactiveIngest.IntegrationTests.Compose;

/// <summary>
/// Decides whether a configuration key (colon path under <c>ReactiveIngest:</c>) is one of the keys of the service's
/// generated configuration reference (<see cref="ConfigurationReference"/>), the same key set docs/configuration.md shows.
/// </summary>
public static class ConfigurationKeyChecker
{
    /// <summary>The configuration path of an environment variable name (<c>A__B__0</c> → <c>A:B:0</c>).</summary>
    public static string ToConfigurationPath(string environmentVariable) => environmentVariable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Null when <paramref name="path"/> is a real key; otherwise why not.</summary>
    public static string? Problem(string path) => ConfigurationReference.Problem(path);
}
