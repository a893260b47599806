using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// The acknowledgement handle of one Kafka record. When released, the record's offset becomes
/// committable once every earlier record of the same partition assignment is released too.
/// </summary>
/// <remarks>
/// One per record, kept small (the assignment, the record's slot in its <see cref="OffsetTracker"/> and its
/// offset): topic and partition are read from the assignment.
/// </remarks>
public sealed class KafkaCommittableHandle : AckHandle
{
    private readonly PartitionState _state;
    private readonly int _slot;

    internal KafkaCommittableHandle(PartitionState state, int slot, long offset)
    {
        _state = state;
        _slot = slot;
        Offset = offset;
    }

    /// <summary>The record's topic.</summary>
    public string Topic => _state.TopicPartition.Topic;

    /// <summary>The record's partition.</summary>
    public int Partition => _state.TopicPartition.Partition.Value;

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <inheritdoc />
    protected override void OnReleased()
    {
        _state.Tracker.MarkReleased(_slot);
        _state.Signal.OnReleased();
    }
}
