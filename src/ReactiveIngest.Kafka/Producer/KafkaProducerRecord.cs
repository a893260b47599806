namespace ReactiveIngest.Kafka.Producer;

/// <summary>
/// What to write for one element. Key by device id so that a device's records land in one partition,
/// in order (and per-device state downstream stays in one consumer).
/// </summary>
/// <param name="Topic">The destination topic.</param>
/// <param name="Key">The record key, normally the device id; null spreads records over partitions.</param>
/// <param name="Value">The record value.</param>
public readonly record struct KafkaProducerRecord(string Topic, string? Key, byte[] Value);
