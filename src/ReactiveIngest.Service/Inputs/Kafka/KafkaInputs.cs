using ReactiveIngest.Kafka.Consumer;

namespace ReactiveIngest.Service.Inputs.Kafka;

/// <summary>Reads <c>ReactiveIngest:Sources:Kafka:N</c> and registers one <see cref="KafkaInput"/> per entry.</summary>
public static class KafkaInputs
{
    /// <summary>The connector's list under <see cref="InputConfiguration.SectionName"/>.</summary>
    public const string Connector = "Kafka";

    /// <summary>Registers the configured Kafka inputs; their problems go to <paramref name="inputs"/>.</summary>
    public static IHostApplicationBuilder AddKafkaInputs(this IHostApplicationBuilder builder, InputConfiguration inputs)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var definition in Load(inputs))
        {
            builder.Services.AddSingleton<IInput>(new KafkaInput(definition));
        }

        return builder;
    }

    /// <summary>Binds and validates every entry; each problem names its key.</summary>
    public static IReadOnlyList<KafkaSourceDefinition> Load(InputConfiguration inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var definitions = new List<KafkaSourceDefinition>();
        foreach (var section in inputs.Entries(Connector))
        {
            var key = section.Path;
            if (string.IsNullOrWhiteSpace(section["BootstrapServers"]) || string.IsNullOrWhiteSpace(section["GroupId"]))
            {
                inputs.AddProblems([$"{key}: BootstrapServers and GroupId are required ({key}:BootstrapServers, {key}:GroupId)."]);
                continue;
            }

            if (inputs.Bind(section, Settings) is not { } entry)
            {
                continue;
            }

            inputs.Check(entry, entry.Settings.EffectiveSourceName, "SourceName", entry.Settings.Validate());
            definitions.Add(new KafkaSourceDefinition(entry.Key, entry.Settings, entry.Codec, entry.Limits));
        }

        return definitions;
    }

    /// <summary>The consumer settings, named after the entry's index unless a SourceName is given.</summary>
    private static KafkaConsumerSettings Settings(IConfigurationSection section)
    {
        var settings = section.Get<KafkaConsumerSettings>()!;
        return settings with { SourceName = settings.SourceName ?? $"kafka:{section.Key}" };
    }
}
