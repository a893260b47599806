using System.Diagnostics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

// The poll loop's fetch side: consuming with linger, accepting records into the handoff batch, delivering it.
internal sealed partial class ConsumerWorker
{
    private void Poll(IConsumer<byte[]?, byte[]?> consumer, List<ConsumedRecord> batch)
    {
        if (Throttle(consumer))
        {
            return;
        }

        var paused = 0;
        foreach (var state in _assigned.Values)
        {
            if (state.Paused)
            {
                paused++;
            }
        }

        TimeSpan timeout;
        if (paused > 0 && paused == _assigned.Count)
        {
            // Nothing to fetch: wait for the stage to drain (or for a stop), then serve callbacks.
            WaitForWake(_settings.PollTimeout);
            timeout = TimeSpan.Zero;
        }
        else
        {
            timeout = paused > 0 && PausedPollTimeout < _settings.PollTimeout ? PausedPollTimeout : _settings.PollTimeout;
        }

        var result = Consume(consumer, timeout);
        long lingerStarted = 0;
        while (result is not null)
        {
            if (Accept(result, batch) || batch.Count >= _settings.MaxHandoffBatch || _stopRequested)
            {
                return;
            }

            result = Consume(consumer, TimeSpan.Zero);
            if (result is null && StageIsBusy())
            {
                // Records trickle in while the stage still has plenty to emit: fill the batch a little
                // longer instead of handing over tiny batches (each handoff wakes a stream thread).
                lingerStarted = lingerStarted == 0 ? Stopwatch.GetTimestamp() : lingerStarted;
                if (Stopwatch.GetElapsedTime(lingerStarted) < MaxLinger)
                {
                    result = Consume(consumer, LingerPoll);
                }
            }
        }
    }

    private bool StageIsBusy()
    {
        var waiting = 0L;
        foreach (var state in _assignedSnapshot)
        {
            waiting += state.Waiting;
        }

        return waiting >= _settings.MaxHandoffBatch;
    }

    private ConsumeResult<byte[]?, byte[]?>? Consume(IConsumer<byte[]?, byte[]?> consumer, TimeSpan timeout)
    {
        try
        {
            var result = consumer.Consume(timeout);
            return result is { IsPartitionEOF: false } ? result : null;
        }
        catch (ConsumeException ex) when (!ex.Error.IsFatal)
        {
            _counters.ClientError($"{ex.Error.Code}: {ex.Error.Reason}");
            return null;
        }
    }

    /// <summary>Adds a record to the batch; true when its partition just went above the high watermark.</summary>
    private bool Accept(ConsumeResult<byte[]?, byte[]?> result, List<ConsumedRecord> batch)
    {
        // Subscribed to one topic, the client leaves the topic out of each result (see ToConsumerConfig).
        var topic = result.Topic ?? _singleTopic;
        var state = _lastAccepted;
        if (state is null || state.Revoked || state.TopicPartition.Partition.Value != result.Partition.Value
            || !string.Equals(state.TopicPartition.Topic, topic, StringComparison.Ordinal))
        {
            state = _assigned.GetValueOrDefault(new TopicPartition(topic, result.Partition));
            _lastAccepted = state;
        }

        if (state is null)
        {
            // Not ours (any more): the next owner reads it from the committed offset.
            _counters.DroppedOnRevoke(1);
            return false;
        }

        var offset = result.Offset.Value;
        if (offset < state.NextOffset)
        {
            _counters.Duplicate();
            return false;
        }

        if (state.NextOffset < 0)
        {
            Volatile.Write(ref state.FirstOffset, offset);
        }

        Volatile.Write(ref state.NextOffset, offset + 1);
        if (state.Paused)
        {
            _counters.WhilePaused();
        }

        batch.Add(new ConsumedRecord(state, result));
        var waiting = state.Waiting + ++state.UnpublishedReceived;
        if (!state.Paused && !state.Throttled && waiting >= _settings.PartitionHighWatermark)
        {
            state.ThrottledSince = Stopwatch.GetTimestamp();
            state.Throttled = true;
            return true;
        }

        return false;
    }

    private void Deliver(IConsumer<byte[]?, byte[]?> consumer, List<ConsumedRecord> batch)
    {
        _counters.Received(batch.Count);
        var stamp = ++_batchStamp;
        foreach (var record in batch)
        {
            if (record.State.HighWatermarkStamp != stamp)
            {
                // First record of this partition in the batch: publish the batch's count before the stage sees it.
                record.State.HighWatermarkStamp = stamp;
                _counters.ObservePartitionWaiting(record.State.AddWaiting(record.State.UnpublishedReceived));
                record.State.UnpublishedReceived = 0;
                var high = consumer.GetWatermarkOffsets(record.State.TopicPartition).High;
                if (high.Value >= 0)
                {
                    Volatile.Write(ref record.State.HighWatermark, high.Value);
                }
            }
        }

        if (_callbacks is { } callbacks)
        {
            callbacks.Records(batch); // the stage gives it back (ReturnBatch)
        }
    }
}
