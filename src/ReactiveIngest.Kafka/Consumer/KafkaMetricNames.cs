namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Names of the Kafka connector's System.Diagnostics.Metrics instruments, in one place.</summary>
public static class KafkaMetricNames
{
    /// <summary>The meter every Kafka source creates.</summary>
    public const string Meter = "ReactiveIngest.Kafka";

    /// <summary>
    /// Per partition: high watermark − committed offset (what Kafka's group tools call lag); before the
    /// first commit of an assignment, the first offset consumed stands in for the committed one.
    /// Tags: topic, partition, group.
    /// </summary>
    public const string ConsumerLag = "reactiveingest.kafka.consumer.lag";

    /// <summary>Per partition: high watermark − next offset to fetch (records not yet taken from the broker).</summary>
    public const string ConsumerFetchLag = "reactiveingest.kafka.consumer.fetch_lag";
}
