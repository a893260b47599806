using System.Collections;
using System.Text;

namespace ReactiveIngest.Service.Configuration;

/// <summary>Loads the values of <see cref="SecretFileConfigurationSource"/>: one key per <c>…_FILE</c> variable.</summary>
public sealed class SecretFileConfigurationProvider(SecretFileConfigurationSource source) : ConfigurationProvider
{
    /// <inheritdoc />
    public override void Load()
    {
        var environment = source.Environment ?? ProcessEnvironment();
        var names = new HashSet<string>(environment.Keys, StringComparer.OrdinalIgnoreCase);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var errors = new List<string>();
        foreach (var (name, path) in environment)
        {
            if (!name.StartsWith(source.Prefix, StringComparison.OrdinalIgnoreCase)
                || !name.EndsWith(SecretFileConfigurationSource.Suffix, StringComparison.Ordinal)
                || name.Length == source.Prefix.Length + SecretFileConfigurationSource.Suffix.Length)
            {
                continue;
            }

            var target = name[..^SecretFileConfigurationSource.Suffix.Length];
            var key = target.Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal);
            if (names.Contains(target))
            {
                errors.Add($"{name} and {target} are both set; set only one (both give {key}).");
                continue;
            }

            if (string.IsNullOrWhiteSpace(path))
            {
                errors.Add($"{name} must name a file holding the value of {key} (is empty).");
                continue;
            }

            if (Read(name, key, path, errors) is { } value)
            {
                data[key] = value;
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Secret files could not be read: " + string.Join(" ", errors));
        }

        Data = data;
    }

    private static Dictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    private static string? Read(string name, string key, string path, List<string> errors)
    {
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                errors.Add($"{name}: file not found ({path}); it should hold the value of {key}.");
                return null;
            }

            if (info.Length > SecretFileConfigurationSource.MaxFileBytes)
            {
                errors.Add($"{name}: {path} is {info.Length} bytes, more than the {SecretFileConfigurationSource.MaxFileBytes} a secret file may hold.");
                return null;
            }

            var text = File.ReadAllText(path, Encoding.UTF8);
            return text.EndsWith("\r\n", StringComparison.Ordinal) ? text[..^2] : text.EndsWith('\n') ? text[..^1] : text;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            errors.Add($"{name}: cannot read {path} ({e.Message}).");
            return null;
        }
    }
}
