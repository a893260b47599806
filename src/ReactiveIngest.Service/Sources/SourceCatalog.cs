using Microsoft.Extensions.Options;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Sources;

/// <summary>
/// The configured inputs, read from <c>ReactiveIngest:Sources</c> and validated when the host is built: every
/// problem is reported with the configuration key to fix.
/// </summary>
public sealed class SourceCatalog
{
    /// <summary>The configuration section of all sources.</summary>
    public const string SectionName = "ReactiveIngest:Sources";

    /// <summary>The MQTT sources.</summary>
    public IReadOnlyList<MqttSourceDefinition> Mqtt { get; }

    /// <summary>The Kafka sources.</summary>
    public IReadOnlyList<KafkaSourceDefinition> Kafka { get; }

    private SourceCatalog(IReadOnlyList<MqttSourceDefinition> mqtt, IReadOnlyList<KafkaSourceDefinition> kafka)
    {
        Mqtt = mqtt;
        Kafka = kafka;
    }

    /// <summary>Reads and validates the sources; throws <see cref="OptionsValidationException"/> listing every problem.</summary>
    public static SourceCatalog Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var errors = new List<string>();
        var mqtt = new List<MqttSourceDefinition>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection($"{SectionName}:Mqtt").GetChildren())
        {
            var key = section.Path;
            MqttSourceSettings settings;
            CodecDefinition codec;
            InputLimits limits;
            try
            {
                // Bound onto an instance that already carries the default name, so an absent Name keeps it.
                settings = new MqttSourceSettings { Name = $"mqtt:{section.Key}" };
                section.Bind(settings);
                codec = section.Get<CodecDefinition>() ?? new CodecDefinition();
                limits = section.Get<InputLimits>() ?? new InputLimits();
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{key}: {e.Message}");
                continue;
            }

            if (!names.Add(settings.Name))
            {
                errors.Add($"{key}:Name '{settings.Name}' is used by another source.");
            }

            errors.AddRange(MqttSourceSettingsValidator.Validate(settings).Select(e => $"{key}: {e}"));
            errors.AddRange(codec.Validate(key));
            errors.AddRange(limits.Validate(key));
            mqtt.Add(new MqttSourceDefinition(key, settings, codec, limits));
        }

        var kafka = new List<KafkaSourceDefinition>();
        foreach (var section in configuration.GetSection($"{SectionName}:Kafka").GetChildren())
        {
            var key = section.Path;
            if (string.IsNullOrWhiteSpace(section["BootstrapServers"]) || string.IsNullOrWhiteSpace(section["GroupId"]))
            {
                errors.Add($"{key}: BootstrapServers and GroupId are required ({key}:BootstrapServers, {key}:GroupId).");
                continue;
            }

            KafkaConsumerSettings settings;
            CodecDefinition codec;
            InputLimits limits;
            try
            {
                settings = section.Get<KafkaConsumerSettings>()!;
                codec = section.Get<CodecDefinition>() ?? new CodecDefinition();
                limits = section.Get<InputLimits>() ?? new InputLimits();
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{key}: {e.Message}");
                continue;
            }

            settings = settings with { SourceName = settings.SourceName ?? $"kafka:{section.Key}" };
            if (!names.Add(settings.EffectiveSourceName))
            {
                errors.Add($"{key}:SourceName '{settings.EffectiveSourceName}' is used by another source.");
            }

            errors.AddRange(settings.Validate().Select(e => $"{key}: {e}"));
            errors.AddRange(codec.Validate(key));
            errors.AddRange(limits.Validate(key));
            kafka.Add(new KafkaSourceDefinition(key, settings, codec, limits));
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(SourceCatalog), errors);
        }

        return new SourceCatalog(mqtt, kafka);
    }
}
