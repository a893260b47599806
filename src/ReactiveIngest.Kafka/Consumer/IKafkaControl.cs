namespace ReactiveIngest.Kafka.Consumer;

/// <summary>The materialized value of a Kafka source: stop it and watch it.</summary>
public interface IKafkaControl
{
    /// <summary>Completes when the consumer has closed (after the final commit) or failed.</summary>
    Task Completion { get; }

    /// <summary>
    /// Stops consuming: records not yet emitted are dropped (they are redelivered later), emitted ones
    /// get <see cref="KafkaConsumerSettings.RevokeGracePeriod"/> to be released, the released prefix is
    /// committed, the consumer leaves the group and the stream completes. Returns <see cref="Completion"/>.
    /// </summary>
    Task StopAsync();

    /// <summary>
    /// Records behind, summed over the partitions assigned now: high watermark minus committed offset (the
    /// <c>reactiveingest.kafka.consumer.lag</c> gauge without the per-partition split).
    /// </summary>
    long ConsumerLag { get; }

    /// <summary>The source's counters now.</summary>
    KafkaSourceStatistics Statistics { get; }
}
