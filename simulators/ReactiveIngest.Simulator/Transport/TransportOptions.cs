namespace ReactiveIngest.Simulator.Transport;

/// <summary>Where and how the fleet connects.</summary>
public sealed class TransportOptions
{
    /// <summary>The transport. Only <see cref="TransportKind.Mqtt"/> is implemented so far.</summary>
    public TransportKind Kind { get; set; } = TransportKind.Mqtt;

    /// <summary>Broker host. Default 127.0.0.1.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port. Default 1883.</summary>
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
        if (Kind != TransportKind.Mqtt)
        {
            yield return $"{prefix}.kind: {Kind} is not implemented yet; only mqtt is (Kafka and HTTP transports come with the full load test).";
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
