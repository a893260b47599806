using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// A record handed from the consumer thread to the stage, with the assignment it belongs to. The consumer
/// thread only takes records from librdkafka; the stage builds the <see cref="Core.Model.RawMessage"/> (key
/// text, timestamp) when it emits, so that per-record work and allocation stay off the consumer thread.
/// </summary>
internal readonly record struct ConsumedRecord(PartitionState State, ConsumeResult<byte[]?, byte[]?> Result);
