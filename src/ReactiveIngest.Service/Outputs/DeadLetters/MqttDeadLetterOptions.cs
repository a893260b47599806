using MQTTnet.Protocol;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>The MQTT target: <c>ReactiveIngest:DeadLetters:Mqtt</c>.</summary>
public sealed class MqttDeadLetterOptions
{
    /// <summary>The topic dead letters are published to.</summary>
    public string? Topic { get; set; }

    /// <summary>
    /// Broker address, credentials, TLS and a client id. The pipeline opens one publisher per dead-letter writer (dead
    /// letters of decoding and windows, and, with InfluxDB, points the storage rejected): the first uses the client id
    /// as given, the others append <c>-2</c>, <c>-3</c>.
    /// </summary>
    public MqttConnectionSettings Connection { get; set; } = new();

    /// <summary>At least once (1, default) or exactly once (2); QoS 0 has no acknowledgement and is refused.</summary>
    public MqttQualityOfServiceLevel Qos { get; set; } = MqttQualityOfServiceLevel.AtLeastOnce;
}
