using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// The acknowledgement handle of one Kafka record. When released, the record's offset becomes
/// committable once every earlier record of the same partition assignment is released too.
/// </summary>
public sealed class KafkaCommittableHandle : AckHandle
{
    private readonly OffsetTracker _tracker;
    private readonly ReleaseSignal _signal;
    private readonly long _sequence;

    internal KafkaCommittableHandle(OffsetTracker tracker, ReleaseSignal signal, long sequence, string topic, int partition, long offset)
    {
        _tracker = tracker;
        _signal = signal;
        _sequence = sequence;
        Topic = topic;
        Partition = partition;
        Offset = offset;
    }

    /// <summary>The record's topic.</summary>
    public string Topic { get; }

    /// <summary>The record's partition.</summary>
    public int Partition { get; }

    /// <summary>The record's offset.</summary>
    public long Offset { get; }

    /// <inheritdoc />
    protected override void OnReleased()
    {
        _tracker.MarkReleased(_sequence);
        _signal.OnReleased();
    }
}
