using ReactiveIngest.Simulator.Payloads;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>Creates the transport the options name.</summary>
public static class TransportFactory
{
    /// <summary>
    /// The transport for <paramref name="options"/>; <paramref name="format"/> tells the HTTP transport how to
    /// join a batch and which Content-Type to send. Kafka and HTTP transports are disposable: dispose them after the run.
    /// </summary>
    public static ITransport Create(TransportOptions options, PayloadFormat format = PayloadFormat.Json)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            TransportKind.Mqtt => new MqttTransport(options),
            TransportKind.Kafka => new KafkaTransport(options.Kafka),
            TransportKind.Http => new HttpTransport(options.Http, format),
            _ => throw new NotSupportedException($"Unknown transport {options.Kind}."),
        };
    }
}
