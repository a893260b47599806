using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Where alert events are published: <c>ReactiveIngest:Alerts:Targets:N</c>, an MQTT topic (connection settings as
/// for MQTT sources, under <c>Connection</c>) or a Kafka topic (<c>BootstrapServers</c> and librdkafka
/// <c>Properties</c>, as for Kafka sources).
/// </summary>
public sealed class AlertTargetDefinition
{
    /// <summary>The name rules refer to.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary><c>Mqtt</c> or <c>Kafka</c> (case-insensitive).</summary>
    public string Type { get; set; } = string.Empty;

    /// <summary>The topic events are published to (a rule may override it).</summary>
    public string Topic { get; set; } = string.Empty;

    /// <summary>MQTT: broker address, credentials, TLS, reconnect backoff. An empty client id becomes <c>reactiveingest-alerts-{Name}</c>.</summary>
    public MqttConnectionSettings Connection { get; set; } = new();

    /// <summary>MQTT: the QoS, 1 (default) or 2; 0 is refused because it cannot be acknowledged.</summary>
    public int Qos { get; set; } = 1;

    /// <summary>Kafka: comma-separated host:port list.</summary>
    public string? BootstrapServers { get; set; }

    /// <summary>Kafka: librdkafka producer properties (SASL, TLS, linger.ms…).</summary>
    public Dictionary<string, string> Properties { get; set; } = [];

    /// <summary>
    /// Publishes awaiting the broker's acknowledgement at once; at the limit the alert branch backpressures.
    /// Default 1 for MQTT (events reach the broker in order; above 1 they may be reordered) and 1000 for Kafka
    /// (records are keyed by device, so a device's events stay in order in its partition).
    /// </summary>
    public int? MaxInFlight { get; set; }
}
