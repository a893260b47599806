using System.Collections;
using System.Reflection;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Service.Demo;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Ingest;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Sources;

namespace ReactiveIngest.IntegrationTests.Compose;

/// <summary>
/// Decides whether a configuration key (colon path under <c>ReactiveIngest:</c>) names a real property of the
/// service's options classes, walking the path through nested objects, lists (numeric index) and dictionaries.
/// </summary>
public static class ConfigurationKeyChecker
{
    /// <summary>Section → the options types bound to it (a key is real when any of them has the path).</summary>
    private static readonly (string Section, Type[] Types)[] Roots =
    [
        (HttpIngestOptions.SectionName, [typeof(HttpIngestOptions)]),
        (HttpEndpointOptions.SectionName, [typeof(HttpEndpointOptions)]),
        (InfluxWriterOptions.SectionName, [typeof(InfluxWriterOptions)]),
        (PipelineOptions.SectionName, [typeof(PipelineOptions)]),
        (PipelineExtensions.ValidationSection, [typeof(ValidationOptions)]),
        (LiveViewOptions.SectionName, [typeof(LiveViewOptions)]),
        (DemoOptions.SectionName, [typeof(DemoOptions)]),
        (SourceCatalog.SectionName + ":Mqtt:#", [typeof(MqttSourceSettings), typeof(CodecDefinition)]),
        (SourceCatalog.SectionName + ":Kafka:#", [typeof(KafkaConsumerSettings), typeof(CodecDefinition)]),
    ];

    /// <summary>The configuration path of an environment variable name (<c>A__B__0</c> → <c>A:B:0</c>).</summary>
    public static string ToConfigurationPath(string environmentVariable) => environmentVariable.Replace("__", ":", StringComparison.Ordinal);

    /// <summary>Null when <paramref name="path"/> is a real key; otherwise why not.</summary>
    public static string? Problem(string path)
    {
        var segments = path.Split(':');
        foreach (var (section, types) in Roots)
        {
            var prefix = section.Split(':');
            if (segments.Length <= prefix.Length || !prefix.Select((p, i) => p == "#" ? int.TryParse(segments[i], out _) : p.Equals(segments[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
            {
                continue;
            }

            var rest = segments[prefix.Length..];
            var problems = types.Select(t => Walk(t, rest)).ToList();
            return problems.Any(p => p is null) ? null : $"{path}: {string.Join(" / ", problems)}";
        }

        return $"{path}: no options class is bound to this section";
    }

    private static string? Walk(Type type, string[] segments)
    {
        var current = type;
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            current = Nullable.GetUnderlyingType(current) ?? current;
            if (IsScalar(current))
            {
                return $"{current.Name} is a value; '{segment}' goes below it";
            }

            if (current.GetInterfaces().Append(current).FirstOrDefault(t => t.IsGenericType && t.GetGenericTypeDefinition() == typeof(IDictionary<,>)) is { } dictionary)
            {
                current = dictionary.GetGenericArguments()[1];
                continue;
            }

            if (current != typeof(string) && typeof(IEnumerable).IsAssignableFrom(current))
            {
                if (!int.TryParse(segment, out _))
                {
                    return $"'{segment}' should be a list index";
                }

                current = current.IsArray ? current.GetElementType()! : current.GetGenericArguments()[0];
                continue;
            }

            var property = current.GetProperty(segment, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null || !property.SetMethod.IsPublic)
            {
                return $"{current.Name} has no settable property '{segment}'";
            }

            current = property.PropertyType;
        }

        current = Nullable.GetUnderlyingType(current) ?? current;
        return IsScalar(current) ? null : $"the key stops at {current.Name}, which is not a value";
    }

    private static bool IsScalar(Type t) =>
        t.IsPrimitive || t.IsEnum || t == typeof(string) || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri) || t == typeof(DateTimeOffset);
}
