using System.Diagnostics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

// Commit batching: pending offsets merged per partition, spaced commits, back-off and retry after a failure.
internal sealed partial class ConsumerWorker
{
    private void CommitPending(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (Stopwatch.GetTimestamp() < _nextCommitAt && !_stopRequested)
        {
            return; // spacing after a commit, back-off after a failed one; pending offsets wait (merged)
        }

        List<(PartitionState State, long Offset)> due;
        lock (_commitGate)
        {
            if (_pendingCommits.Count == 0)
            {
                return;
            }

            due = new List<(PartitionState, long)>(_pendingCommits.Count);
            foreach (var (state, offset) in _pendingCommits)
            {
                if (!state.Revoked && offset > state.CommittedOffset)
                {
                    due.Add((state, offset));
                }
            }

            _pendingCommits.Clear();
        }

        if (due.Count == 0)
        {
            return;
        }

        var spacing = MinCommitSpacing < _settings.CommitInterval ? MinCommitSpacing : _settings.CommitInterval;
        _nextCommitAt = Stopwatch.GetTimestamp() + (long)(spacing.TotalSeconds * Stopwatch.Frequency);
        if (!Commit(consumer, due, out var error))
        {
            if (error is ErrorCode.RebalanceInProgress or ErrorCode.IllegalGeneration)
            {
                HoldForRebalance(consumer);
            }

            RequestCommit(due); // retried (merged with newer offsets) after one commit interval
            _nextCommitAt = Stopwatch.GetTimestamp() + (long)(_settings.CommitInterval.TotalSeconds * Stopwatch.Frequency);
        }
    }

    private bool Commit(IConsumer<byte[]?, byte[]?> consumer, List<(PartitionState State, long Offset)> offsets) =>
        Commit(consumer, offsets, out _);

    private bool Commit(IConsumer<byte[]?, byte[]?> consumer, List<(PartitionState State, long Offset)> offsets, out ErrorCode error)
    {
        error = ErrorCode.NoError;
        try
        {
            consumer.Commit(offsets.Select(o => new TopicPartitionOffset(o.State.TopicPartition, o.Offset)));
            foreach (var (state, offset) in offsets)
            {
                Volatile.Write(ref state.CommittedOffset, offset);
            }

            _counters.Committed();
            return true;
        }
        catch (KafkaException ex)
        {
            error = ex.Error.Code;
            _counters.CommitFailed();
            _counters.ClientError($"commit: {ex.Error.Code}: {ex.Error.Reason}");
            return false;
        }
    }
}
