using System.Diagnostics.CodeAnalysis;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// The stage-side half of a Kafka source, shared by the merged and the per-partition stages: takes
/// waiting records of one partition assignment as committable envelopes, publishes emitted counts to
/// the consumer thread (waking it when a held-off partition drained) and collects commit offsets.
/// Used only on the stage's thread.
/// </summary>
internal sealed class PartitionEmitter
{
    private const int EmitPublishInterval = 32;

    private readonly KafkaConsumerSettings _settings;
    private readonly ConsumerWorker _worker;
    private readonly KafkaSourceCounters _counters;
    private readonly ReleaseSignal _signal;
    private readonly string _sourceName;
    private readonly RecordKeyCache _keys = new();

    // Bounded by the number of assigned partitions: a state is added once and removed on revoke.
    private readonly List<PartitionState> _active = [];

    public PartitionEmitter(KafkaConsumerSettings settings, ConsumerWorker worker, KafkaSourceCounters counters, ReleaseSignal signal)
    {
        _settings = settings;
        _worker = worker;
        _counters = counters;
        _signal = signal;
        _sourceName = settings.EffectiveSourceName;
    }

    /// <summary>Starts tracking an assignment (idempotent).</summary>
    public void Track(PartitionState state)
    {
        if (!state.KnownToStage)
        {
            state.KnownToStage = true;
            _active.Add(state);
        }
    }

    /// <summary>Accepts one handed-over record; false (and counted as dropped) when its assignment is revoked.</summary>
    public bool Accept(PartitionState state, ConsumeResult<byte[]?, byte[]?> result)
    {
        if (state.Revoked)
        {
            Forget(state, 1);
            return false;
        }

        Track(state);
        state.Pending.Enqueue(result);
        return true;
    }

    /// <summary>Drops what a revoked or lost assignment has not emitted and stops tracking it.</summary>
    public void Revoke(PartitionState state)
    {
        DropPending(state);
        _active.Remove(state);
    }

    /// <summary>True when the partition has a waiting record but its unreleased window is full.</summary>
    public static bool IsBlocked(PartitionState state) =>
        state.Tracker.IsFull && (state.Tracker.Advance() < 0 || state.Tracker.IsFull);

    /// <summary>
    /// Takes the next waiting record of <paramref name="state"/> as an envelope, unless the assignment is
    /// revoked, nothing waits, or too many of its records are unreleased.
    /// </summary>
    public bool TryTake(PartitionState state, [MaybeNullWhen(false)] out Envelope<RawMessage> envelope)
    {
        envelope = null;
        if (state.Revoked || state.Pending.Count == 0 || IsBlocked(state))
        {
            return false;
        }

        var result = state.Pending.Dequeue();
        var offset = result.Offset.Value;
        var message = RecordConversion.ToMessage(result, state.TopicPartition, _sourceName, _keys);
        if (++state.UnpublishedEmitted >= EmitPublishInterval || state.Pending.Count == 0)
        {
            PublishEmitted(state);
        }

        _counters.Emitted();
        envelope = new Envelope<RawMessage>(message, new KafkaCommittableHandle(state, state.Tracker.Append(offset), offset));
        return true;
    }

    /// <summary>Hands the released prefix of every tracked partition to the consumer thread for committing.</summary>
    public void RequestCommits()
    {
        _signal.Rearm();
        List<(PartitionState, long)>? offsets = null;
        foreach (var state in _active)
        {
            if (state.Revoked)
            {
                continue;
            }

            var commit = state.Tracker.Advance();
            if (commit > state.RequestedCommit)
            {
                state.RequestedCommit = commit;
                (offsets ??= []).Add((state, commit));
            }
        }

        if (offsets is not null)
        {
            _worker.RequestCommit(offsets);
        }
    }

    /// <summary>Drops the waiting records of an assignment (counted as dropped on revoke).</summary>
    public void DropPending(PartitionState state)
    {
        var dropped = state.Pending.Count;
        if (dropped > 0)
        {
            state.Pending.Clear();
            Forget(state, dropped);
        }
    }

    // The consumer thread reads Waiting for its throttle/pause decisions; subtracting in small groups keeps
    // the shared counter off the per-record path at the cost of a slightly late (never early) resume.
    private void PublishEmitted(PartitionState state)
    {
        var waiting = state.DecrementWaiting(state.UnpublishedEmitted);
        state.UnpublishedEmitted = 0;
        if ((state.Paused || state.Throttled) && waiting <= _settings.PartitionLowWatermark)
        {
            _worker.Wake();
        }
    }

    private void Forget(PartitionState state, int count)
    {
        state.DecrementWaiting(count);
        _counters.DroppedOnRevoke(count);
    }
}
