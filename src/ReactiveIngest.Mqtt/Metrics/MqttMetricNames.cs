namespace ReactiveIngest.Mqtt.Metrics;

/// <summary>Meter and instrument names of the MQTT connector, in one place.</summary>
public static class MqttMetricNames
{
    /// <summary>The meter name.</summary>
    public const string Meter = "ReactiveIngest.Mqtt";

    /// <summary>Messages received from the broker (all QoS).</summary>
    public const string Received = "reactiveingest.mqtt.received";

    /// <summary>QoS 1/2 messages acknowledged to the broker.</summary>
    public const string Acknowledged = "reactiveingest.mqtt.acknowledged";

    /// <summary>QoS 1/2 messages received and not yet acknowledged.</summary>
    public const string InFlight = "reactiveingest.mqtt.in_flight";

    /// <summary>QoS 0 messages dropped because the buffer was full.</summary>
    public const string Qos0Dropped = "reactiveingest.mqtt.qos0_dropped";

    /// <summary>Reconnects after a lost connection.</summary>
    public const string Reconnects = "reactiveingest.mqtt.reconnects";

    /// <summary>Messages published and acknowledged by the broker (publisher).</summary>
    public const string Published = "reactiveingest.mqtt.published";

    /// <summary>Tag: the source name.</summary>
    public const string SourceTag = "source";

    /// <summary>Tag: the connection index.</summary>
    public const string ConnectionTag = "connection";
}
