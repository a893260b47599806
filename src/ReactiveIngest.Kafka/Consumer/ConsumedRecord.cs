using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>A record handed from the consumer thread to the stage, with the assignment it belongs to.</summary>
internal readonly record struct ConsumedRecord(PartitionState State, ConsumeResult<byte[]?, byte[]?> Result);
