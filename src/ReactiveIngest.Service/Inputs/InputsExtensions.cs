using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Inputs.Kafka;
using ReactiveIngest.Service.Inputs.Mqtt;

namespace ReactiveIngest.Service.Inputs;

/// <summary>Registers every connector's inputs: the one place that lists the connectors.</summary>
public static class InputsExtensions
{
    /// <summary>
    /// Reads each connector's inputs from configuration and registers them as <see cref="IInput"/>; throws
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> listing every problem of every connector.
    /// </summary>
    public static IHostApplicationBuilder AddInputs(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var inputs = new InputConfiguration(builder.Configuration);
        builder.AddMqttInputs(inputs);
        builder.AddKafkaInputs(inputs);
        builder.AddHttpInputs();
        inputs.ThrowIfInvalid();
        return builder;
    }
}
