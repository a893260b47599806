using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// A record handed from the consumer thread to the stage, with the assignment it belongs to. The consumer
/// thread builds the <see cref="RawMessage"/> (key text, timestamp), so the stage only attaches the handle.
/// </summary>
internal readonly record struct ConsumedRecord(PartitionState State, RawMessage Message, long Offset);
