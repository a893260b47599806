using Microsoft.Extensions.Options;
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

    private SourceCatalog(IReadOnlyList<MqttSourceDefinition> mqtt) => Mqtt = mqtt;

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
            try
            {
                settings = section.Get<MqttSourceSettings>() ?? new MqttSourceSettings();
                codec = section.Get<CodecDefinition>() ?? new CodecDefinition();
            }
            catch (InvalidOperationException e)
            {
                errors.Add($"{key}: {e.Message}");
                continue;
            }

            if (section["Name"] is null)
            {
                settings = CopyWithName(settings, $"mqtt:{section.Key}");
            }

            if (!names.Add(settings.Name))
            {
                errors.Add($"{key}:Name '{settings.Name}' is used by another source.");
            }

            errors.AddRange(MqttSourceSettingsValidator.Validate(settings).Select(e => $"{key}: {e}"));
            errors.AddRange(codec.Validate(key));
            mqtt.Add(new MqttSourceDefinition(key, settings, codec));
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(SourceCatalog), errors);
        }

        return new SourceCatalog(mqtt);
    }

    private static MqttSourceSettings CopyWithName(MqttSourceSettings s, string name) => new()
    {
        Name = name,
        Connection = s.Connection,
        Subscriptions = s.Subscriptions,
        ConnectionCount = s.ConnectionCount,
        SharedSubscriptionGroup = s.SharedSubscriptionGroup,
        MaxInFlight = s.MaxInFlight,
        ReceiveMaximum = s.ReceiveMaximum,
        SessionExpiry = s.SessionExpiry,
        BufferSize = s.BufferSize,
    };
}
