using System.Reflection;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Service.Analytics;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Inputs;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// The sections the service binds under <c>ReactiveIngest:</c>. Options classes that declare a
/// <c>public const string SectionName = "ReactiveIngest:…"</c> (the service's convention) are found by reflection, so a
/// new options class appears in the reference without being listed here; only sections bound without such a
/// constant are listed explicitly.
/// </summary>
public static class ConfigurationSections
{
    /// <summary>The root every key starts with.</summary>
    public const string Root = "ReactiveIngest";

    /// <summary>Sections bound by code rather than through a <c>SectionName</c> constant.</summary>
    private static readonly ConfigurationSection[] Explicit =
    [
        new(PipelineExtensions.ValidationSection, [typeof(ValidationOptions)]),
        new(InfluxWriterOptions.SectionName, [typeof(InfluxWriterOptions)]),
        // Each connector names its inputs after their index before binding.
        new(InputConfiguration.SectionName + ":Mqtt:N", [typeof(MqttSourceSettings), typeof(CodecDefinition), typeof(InputLimits)], new Dictionary<string, string> { ["Name"] = "mqtt:N" }),
        new(InputConfiguration.SectionName + ":Kafka:N", [typeof(KafkaConsumerSettings), typeof(CodecDefinition), typeof(InputLimits)], new Dictionary<string, string> { ["SourceName"] = "kafka:N" }),
        // The analytics catalogs read each list entry themselves.
        new(TransformCatalog.SectionName + ":N", [typeof(TransformDefinition)]),
        new(AlertCatalog.SectionName + ":Targets:N", [typeof(AlertTargetDefinition)], new Dictionary<string, string> { ["Connection:ClientId"] = "reactiveingest-alerts-{Name}" }),
        new(AlertCatalog.SectionName + ":Rules:N", [typeof(AlertRuleDefinition)]),
        // The default depends on the machine; a fixed figure here would make the reference differ between machines.
        new(PipelineOptions.SectionName, [typeof(PipelineOptions)], new Dictionary<string, string> { ["DecodeParallelism"] = "processor count, at most 8" }),
    ];

    /// <summary>Every bound section, ordered by path; types bound to the same section are merged.</summary>
    public static IReadOnlyList<ConfigurationSection> All()
    {
        var discovered = typeof(ConfigurationSections).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsPublic: true })
            .Select(t => (Type: t, Field: t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)))
            .Where(x => x.Field is { IsLiteral: true } && x.Field.GetRawConstantValue() is string s && s.StartsWith(Root + ":", StringComparison.Ordinal))
            .Where(x => ConfigurationWalker.BoundProperties(x.Type).Any())
            .Select(x => new ConfigurationSection((string)x.Field!.GetRawConstantValue()!, [x.Type]));
        return [.. Explicit.Concat(discovered)
            .GroupBy(s => s.Path, StringComparer.Ordinal)
            .Select(g => new ConfigurationSection(g.Key, [.. g.SelectMany(s => s.Types).Distinct()], g.Select(s => s.Defaults).FirstOrDefault(d => d is not null)))
            .OrderBy(s => s.Path, StringComparer.Ordinal)];
    }
}
