namespace ReactiveIngest.Simulator.Transport;

/// <summary>Where and how the fleet connects.</summary>
public sealed class TransportOptions
{
    /// <summary>The transport: mqtt (default), kafka or http.</summary>
    public TransportKind Kind { get; set; } = TransportKind.Mqtt;

    /// <summary>The Kafka transport's settings (used when <see cref="Kind"/> is kafka).</summary>
    public KafkaTransportOptions Kafka { get; set; } = new();

    /// <summary>The HTTP transport's settings (used when <see cref="Kind"/> is http).</summary>
    public HttpTransportOptions Http { get; set; } = new();

    /// <summary>MQTT broker host. Default 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>MQTT broker port. Default 1883.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>MQTT QoS (0, 1 or 2). Default 1.</summary>
    public int Qos { get; set; } = 1;

    /// <summary>MQTT protocol version: 5 or 311. Default 5.</summary>
    public int MqttVersion { get; set; } = 5;

    /// <summary>Prefix of client ids; the connection number is appended. Default <c>sim</c>.</summary>
    public string ClientIdPrefix { get; set; } = "sim";

    /// <summary>Keep-alive period. Default 60 s.</summary>
    public int KeepAliveSec { get; set; } = 60;

    /// <summary>Connect timeout. Default 30 s.</summary>
    public int ConnectTimeoutSec { get; set; } = 30;

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        var nested = Kind switch
        {
            TransportKind.Kafka => Kafka.Validate($"{prefix}.kafka"),
            TransportKind.Http => Http.Validate($"{prefix}.http"),
            _ => [],
        };
        foreach (var problem in nested)
        {
            yield return problem;
        }

        if (string.IsNullOrWhiteSpace(Host))
        {
            yield return $"{prefix}.host must not be empty.";
        }

        if (Port is < 1 or > 65535)
        {
            yield return $"{prefix}.port must be in 1..65535 (was {Port}).";
        }

        if (Qos is < 0 or > 2)
        {
            yield return $"{prefix}.qos must be 0, 1 or 2 (was {Qos}).";
        }

        if (MqttVersion is not (5 or 311))
        {
            yield return $"{prefix}.mqttVersion must be 5 or 311 (was {MqttVersion}).";
        }

        if (KeepAliveSec < 0 || ConnectTimeoutSec < 1)
        {
            yield return $"{prefix}: keepAliveSec must be ≥ 0 and connectTimeoutSec ≥ 1.";
        }
    }
}
