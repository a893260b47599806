using Microsoft.Extensions.Configuration.EnvironmentVariables;

namespace ReactiveIngest.Service.Configuration;

/// <summary>Adds <see cref="SecretFileConfigurationSource"/> to a configuration.</summary>
public static class SecretFileConfigurationExtensions
{
    /// <summary>
    /// Adds the <c>…_FILE</c> secret source right after the last environment-variable source, so a secret file
    /// overrides appsettings.json like any variable does and the command line still overrides both. Without an
    /// environment-variable source it goes last.
    /// <paramref name="environment"/> replaces the process environment (for tests).
    /// </summary>
    public static IConfigurationBuilder AddSecretFiles(this IConfigurationBuilder builder, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var source = new SecretFileConfigurationSource { Environment = environment };
        var last = -1;
        for (var i = 0; i < builder.Sources.Count; i++)
        {
            if (builder.Sources[i] is EnvironmentVariablesConfigurationSource)
            {
                last = i;
            }
        }

        if (last < 0)
        {
            builder.Add(source);
        }
        else
        {
            builder.Sources.Insert(last + 1, source);
        }

        return builder;
    }
}
