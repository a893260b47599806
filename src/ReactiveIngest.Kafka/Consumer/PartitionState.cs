using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// One assignment of one partition (a new object per assignment, so late releases of a revoked
/// assignment can never commit into a later one). Fields are owned as commented.
/// </summary>
internal sealed class PartitionState
{
    private int _waiting;
    private int _revoked;

    public PartitionState(TopicPartition topicPartition, int maxUnreleased, ReleaseSignal signal)
    {
        TopicPartition = topicPartition;
        Tracker = new OffsetTracker(maxUnreleased);
        Signal = signal;
    }

    public TopicPartition TopicPartition { get; }

    public OffsetTracker Tracker { get; }

    /// <summary>The source's release counter (commit due by count), told by every released handle.</summary>
    public ReleaseSignal Signal { get; }

    /// <summary>Records handed to the stage and not yet emitted or dropped (both threads, atomic).</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Set by the consumer thread when revoked or lost; the stage then stops emitting.</summary>
    public bool Revoked => Volatile.Read(ref _revoked) != 0;

    /// <summary>Consumer thread: paused in librdkafka. Read by the stage to wake the thread.</summary>
    public volatile bool Paused;

    /// <summary>
    /// Consumer thread: above the high watermark, so the thread stopped consuming for a while instead of
    /// pausing at once (pausing drops librdkafka's prefetch). Read by the stage to wake the thread.
    /// </summary>
    public volatile bool Throttled;

    /// <summary>Consumer thread: when <see cref="Throttled"/> was set (Stopwatch ticks).</summary>
    public long ThrottledSince;

    /// <summary>Consumer thread: the first offset received in this assignment; -1 before the first record.</summary>
    public long FirstOffset = -1;

    /// <summary>Consumer thread: the next offset expected (last delivered + 1); -1 before the first record.</summary>
    public long NextOffset = -1;

    /// <summary>Consumer thread writes, metrics read: the partition's high watermark as last fetched.</summary>
    public long HighWatermark = -1;

    /// <summary>Consumer thread: the batch in which <see cref="HighWatermark"/> was last refreshed.</summary>
    public long HighWatermarkStamp;

    /// <summary>Consumer thread: the last offset committed successfully.</summary>
    public long CommittedOffset = -1;

    /// <summary>
    /// Stage: records waiting to be emitted, in offset order. Bounded by the consumer thread, which stops taking
    /// records of this partition at <see cref="KafkaConsumerSettings.PartitionHighWatermark"/> waiting records.
    /// </summary>
    public Queue<ConsumeResult<byte[]?, byte[]?>> Pending { get; } = new();

    /// <summary>Stage: whether this state is in the stage's ready ring.</summary>
    public bool InReadyRing;

    /// <summary>Stage: whether the stage knows this state (it is in its active list).</summary>
    public bool KnownToStage;

    /// <summary>Stage: the last commit offset the stage asked for.</summary>
    public long RequestedCommit = -1;

    /// <summary>Consumer thread: records accepted into the current batch, added to <see cref="Waiting"/> on delivery.</summary>
    public int UnpublishedReceived;

    /// <summary>Stage: records emitted but not yet subtracted from <see cref="Waiting"/> (published in small groups).</summary>
    public int UnpublishedEmitted;

    public int AddWaiting(int count) => Interlocked.Add(ref _waiting, count);

    public int DecrementWaiting(int count = 1) => Interlocked.Add(ref _waiting, -count);

    public void MarkRevoked() => Volatile.Write(ref _revoked, 1);
}
