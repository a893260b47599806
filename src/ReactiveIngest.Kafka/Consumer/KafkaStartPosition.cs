namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Where a consumer group starts reading a partition that has no committed offset.</summary>
public enum KafkaStartPosition
{
    /// <summary>The oldest retained record.</summary>
    Earliest = 0,

    /// <summary>Only records produced after the partition is assigned.</summary>
    Latest = 1,

    /// <summary>The first record whose timestamp is at or after <see cref="KafkaConsumerSettings.StartTimestamp"/>.</summary>
    Timestamp = 2,
}
