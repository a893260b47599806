namespace ReactiveIngest.Simulator.Transport;

/// <summary>Creates the transport the options name.</summary>
public static class TransportFactory
{
    /// <summary>The transport for <paramref name="options"/>; Kafka and HTTP are not implemented yet and throw.</summary>
    public static ITransport Create(TransportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Kind switch
        {
            TransportKind.Mqtt => new MqttTransport(options),
            _ => throw new NotSupportedException($"The {options.Kind} transport is not implemented yet; only MQTT is."),
        };
    }
}
