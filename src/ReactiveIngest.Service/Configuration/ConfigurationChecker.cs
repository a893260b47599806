using System.ComponentModel;
using System.Globalization;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// Checks the raw configuration under <c>ReactiveIngest:</c> before anything is bound: every key must be one of the
/// reference (<see cref="ConfigurationReference.Keys"/>), and every value must convert to its key's type. The binder
/// itself ignores unknown keys and drops list items it cannot convert, so without this check a typo or a bad window
/// size would silently fall back to a default. Reports every problem, one line per key.
/// </summary>
public static class ConfigurationChecker
{
    /// <summary>One line per problem (<c>key: what is wrong</c>), in key order; empty when the configuration is valid.</summary>
    public static IReadOnlyList<string> Problems(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        DurationConverter.Register();
        var keys = ConfigurationReference.Keys();
        var problems = new List<string>();
        foreach (var (path, value) in configuration.GetSection(ConfigurationSections.Root).AsEnumerable().OrderBy(e => e.Key, StringComparer.OrdinalIgnoreCase))
        {
            // Sections (and empty JSON objects and arrays) carry no value.
            if (value is null || (value.Length == 0 && IsSection(keys, path)))
            {
                continue;
            }

            // ReactiveIngest__X__Y_FILE names the file SecretFileConfigurationSource reads into X:Y; the value read is
            // checked under X:Y itself.
            if (path.EndsWith(SecretFileConfigurationSource.Suffix, StringComparison.Ordinal)
                && KeyPattern.Find(keys, path[..^SecretFileConfigurationSource.Suffix.Length]) is not null)
            {
                continue;
            }

            if (KeyPattern.Find(keys, path) is not { } key)
            {
                problems.Add(Unknown(keys, path));
            }
            else if (key.ValueType is { } type && path.Split(':').Length == key.Path.Split(':').Length && ValueProblem(type, value) is { } problem)
            {
                problems.Add($"{path}: {problem}");
            }
        }

        return problems;
    }

    /// <summary>Null when <paramref name="value"/> converts to <paramref name="type"/> as the binder converts it; otherwise why not.</summary>
    public static string? ValueProblem(Type type, string value)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(value);
        var plain = Nullable.GetUnderlyingType(type);
        if (type == typeof(string) || (plain is not null && value.Length == 0))
        {
            return null;
        }

        plain ??= type;
        try
        {
            DurationConverter.Register();
            _ = TypeDescriptor.GetConverter(plain).ConvertFromInvariantString(value);
            return null;
        }
#pragma warning disable CA1031 // converters throw whatever their parser throws; each is a value that does not convert
        catch (Exception)
#pragma warning restore CA1031
        {
            return Expected(plain, value);
        }
    }

    private static string Expected(Type type, string value)
    {
        var shown = $"'{value}'";
        return type == typeof(TimeSpan) ? $"{shown} is not a duration (examples: {Duration.Examples})"
            : type.IsEnum ? $"{shown} is not one of {string.Join(", ", Enum.GetNames(type))}"
            : type == typeof(bool) ? $"{shown} is not true or false"
            : type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(byte) || type == typeof(uint) || type == typeof(ulong) || type == typeof(ushort)
                ? $"{shown} is not a whole number in range"
            : type == typeof(double) || type == typeof(float) || type == typeof(decimal) ? $"{shown} is not a number"
            : type == typeof(Uri) ? $"{shown} is not a URL"
            : $"{shown} is not a valid {type.Name}";
    }

    private static bool IsSection(IReadOnlyList<ConfigurationKey> keys, string path)
    {
        var segments = path.Split(':');
        return keys.Any(k => k.Path.Split(':') is var pattern && pattern.Length > segments.Length && KeyPattern.Matches(pattern[..segments.Length], segments));
    }

    private static string Unknown(IReadOnlyList<ConfigurationKey> keys, string path)
    {
        var segments = path.Split(':');
        var (nearest, distance) = keys
            .Select(k => Instantiate(k.Path.Split(':'), segments))
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(path.ToUpperInvariant(), candidate.ToUpperInvariant())))
            .MinBy(c => c.Distance);
        var hint = nearest is not null && distance <= Math.Max(3, segments[^1].Length / 2)
            ? $"did you mean {nearest}?"
            : $"see `{ConfigurationReference.Command}` for the keys";
        return $"{path}: not a configuration key; {hint}";
    }

    /// <summary>The pattern with its placeholders filled from <paramref name="segments"/> where they fit (an index with <c>0</c> otherwise).</summary>
    private static string Instantiate(string[] pattern, string[] segments) =>
        string.Join(':', pattern.Select((p, i) =>
            !ConfigurationWalker.IsIndexPlaceholder(p) && p != "{name}" ? p
            : i < segments.Length && KeyPattern.SegmentMatches(p, segments[i]) ? segments[i]
            : ConfigurationWalker.IsIndexPlaceholder(p) ? "0" : p));

    /// <summary>Levenshtein distance (insert, delete, substitute), two rows.</summary>
    public static int EditDistance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
