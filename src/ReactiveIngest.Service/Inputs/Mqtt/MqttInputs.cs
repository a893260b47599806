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
                inputs.AddProblems([$"{key}: {e.Message}"]);
                continue;
            }

            inputs.ClaimName(settings.Name, $"{key}:Name");
            inputs.AddProblems(MqttSourceSettingsValidator.Validate(settings).Select(e => $"{key}: {e}"));
            inputs.AddProblems(codec.Validate(key));
            inputs.AddProblems(limits.Validate(key));
            definitions.Add(new MqttSourceDefinition(key, settings, codec, limits));
        }

        return definitions;
    }
}
