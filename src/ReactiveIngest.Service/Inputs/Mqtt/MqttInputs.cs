using System.Diagnostics.Metrics;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Inputs.Mqtt;

/// <summary>Reads <c>ReactiveIngest:Sources:Mqtt:N</c> and registers one <see cref="MqttInput"/> per entry.</summary>
public static class MqttInputs
{
    /// <summary>The connector's list under <see cref="InputConfiguration.SectionName"/>.</summary>
    public const string Connector = "Mqtt";

    /// <summary>Registers the configured MQTT inputs; their problems go to <paramref name="inputs"/>.</summary>
    public static IHostApplicationBuilder AddMqttInputs(this IHostApplicationBuilder builder, InputConfiguration inputs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var definition in Load(inputs))
        {
            builder.Services.AddSingleton<IInput>(sp => new MqttInput(definition, sp.GetService<IMeterFactory>()));
        }

        return builder;
    }

    /// <summary>Binds and validates every entry; each problem names its key.</summary>
    public static IReadOnlyList<MqttSourceDefinition> Load(InputConfiguration inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var definitions = new List<MqttSourceDefinition>();
        foreach (var section in inputs.Entries(Connector))
        {
            if (inputs.Bind(section, Settings) is not { } entry)
            {
                continue;
            }

            inputs.Check(entry, entry.Settings.Name, "Name", MqttSourceSettingsValidator.Validate(entry.Settings));
            definitions.Add(new MqttSourceDefinition(entry.Key, entry.Settings, entry.Codec, entry.Limits));
        }

        return definitions;
    }

    /// <summary>Bound onto an instance that already carries the default name (after the entry's index), so an absent Name keeps it.</summary>
    private static MqttSourceSettings Settings(IConfigurationSection section)
    {
        var settings = new MqttSourceSettings { Name = $"mqtt:{section.Key}" };
        section.Bind(settings);
        return settings;
    }
}
