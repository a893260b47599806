using System.Diagnostics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

// Rebalance handling: holding during a rebalance, assignment (start positions), revocation (grace period, final commit).
internal sealed partial class ConsumerWorker
{
    /// <summary>
    /// The group is rebalancing, so nothing processed from now on can be committed by this member: pause every
    /// assigned partition until the revoke/assign arrives (or <see cref="RebalanceHoldLimit"/> passes), which
    /// keeps the records reprocessed after the rebalance to those already handed to the stage.
    /// </summary>
    private void HoldForRebalance(IConsumer<byte[]?, byte[]?> consumer)
    {
        _rebalanceHoldUntil = Stopwatch.GetTimestamp() + (long)(RebalanceHoldLimit.TotalSeconds * Stopwatch.Frequency);
        List<TopicPartition>? pause = null;
        foreach (var state in _assigned.Values)
        {
            if (!state.Paused)
            {
                state.Paused = true;
                state.Throttled = false;
                _counters.Paused();
                (pause ??= []).Add(state.TopicPartition);
            }
        }

        if (pause is not null)
        {
            consumer.Pause(pause);
        }
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartition> partitions)
    {
        _rebalanceHoldUntil = 0;
        var states = new List<PartitionState>(partitions.Count);
        foreach (var partition in partitions)
        {
            var state = new PartitionState(partition, _settings.MaxUnreleasedPerPartition, _signal);
            _assigned[partition] = state;
            states.Add(state);
        }

        _assignedSnapshot = [.. _assigned.Values];
        _callbacks?.Assigned?.Invoke(states);
        _counters.PartitionsAssigned(partitions.Count);
        if (_settings.StartPosition != KafkaStartPosition.Timestamp || _settings.StartTimestamp is not { } start)
        {
            return partitions.Select(p => new TopicPartitionOffset(p, Offset.Unset));
        }

        // Partitions without a committed offset start at the first record at or after the timestamp.
        var committed = consumer.Committed(partitions, CommittedQueryTimeout);
        var fresh = committed.Where(c => c.Offset == Offset.Unset).Select(c => c.TopicPartition).ToList();
        var byTime = fresh.Count == 0
            ? []
            : consumer.OffsetsForTimes(fresh.Select(p => new TopicPartitionTimestamp(p, new Timestamp(start))), CommittedQueryTimeout);
        var startAt = byTime.ToDictionary(t => t.TopicPartition, t => t.Offset);
        return partitions.Select(p => new TopicPartitionOffset(
            p,
            startAt.TryGetValue(p, out var offset) ? (offset == Offset.Unset ? Offset.End : offset) : Offset.Unset));
    }

    private void OnRevoked(IConsumer<byte[]?, byte[]?> consumer, List<TopicPartitionOffset> partitions, bool lost)
    {
        _rebalanceHoldUntil = 0; // partitions kept (cooperative protocol) resume by the watermarks
        var states = new List<PartitionState>(partitions.Count);
        List<TopicPartition>? resume = null;
        foreach (var partition in partitions)
        {
            if (_assigned.Remove(partition.TopicPartition, out var state))
            {
                state.MarkRevoked(); // the stage stops emitting from it
                if (state.Paused)
                {
                    // Resume it in librdkafka too: a partition paused before a revoke was seen to stay unfetched
                    // when the same partition came back to this member (rebalance test).
                    state.Paused = false;
                    _counters.PauseForgotten();
                    (resume ??= []).Add(state.TopicPartition);
                }

                state.Throttled = false;
                states.Add(state);
            }
        }

        if (resume is not null)
        {
            consumer.Resume(resume);
        }

        _assignedSnapshot = [.. _assigned.Values];
        _callbacks?.Revoked(states); // the stage drops what it has not emitted
        if (lost)
        {
            _counters.PartitionsLost(states.Count);
            return;
        }

        _counters.PartitionsRevoked(states.Count);

        // Give emitted records a bounded time to be released, then commit the released prefix
        // before the partitions go to another member.
        var grace = Stopwatch.StartNew();
        while (grace.Elapsed < _settings.RevokeGracePeriod && states.Any(s => { s.Tracker.Advance(); return s.Tracker.Outstanding > 0; }))
        {
            Thread.Sleep(5);
        }

        var offsets = new List<(PartitionState, long)>();
        foreach (var state in states)
        {
            var commit = state.Tracker.Advance();
            if (commit > state.CommittedOffset)
            {
                offsets.Add((state, commit));
            }
        }

        if (offsets.Count > 0)
        {
            Commit(consumer, offsets);
        }
    }
}
