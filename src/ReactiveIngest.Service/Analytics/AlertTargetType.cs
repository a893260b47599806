namespace ReactiveIngest.Service.Analytics;

/// <summary>The kinds of alert target.</summary>
public enum AlertTargetType
{
    /// <summary>An MQTT topic.</summary>
    Mqtt,

    /// <summary>A Kafka topic.</summary>
    Kafka,
}
