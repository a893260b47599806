using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// Owns the Confluent.Kafka consumer and the dedicated thread that polls it. Talks to the stage only
/// through <see cref="ConsumerCallbacks"/> (async callbacks) and through small, bounded shared state:
/// pending commits (one entry per partition), per-partition waiting counters, and a wake-up event.
/// Rebalance handlers run here, inside Consume/Close.
/// </summary>
internal sealed class ConsumerWorker
{
    private static readonly TimeSpan PausedPollTimeout = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan CommittedQueryTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxLinger = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan LingerPoll = TimeSpan.FromMilliseconds(1);
    private static readonly TimeSpan RebalanceHoldLimit = TimeSpan.FromSeconds(10);

    // A commit blocks this thread for a round trip to the group coordinator. At high rates a count-triggered
    // commit would come every few milliseconds (1000 records at 500k/s), so commits are spaced at least this far
    // apart; what is released meanwhile goes into the next commit (at-least-once either way).
    private static readonly TimeSpan MinCommitSpacing = TimeSpan.FromMilliseconds(50);

    // Handoff batches the stage gave back, reused so that a batch does not cost a new list (MaxHandoffBatch
    // entries) per handoff. Bounded: at most this many are kept; more are left to the GC.
    private const int BatchPoolSize = 4;

    private readonly KafkaConsumerSettings _settings;
    private readonly KafkaSourceCounters _counters;
    private readonly ReleaseSignal _signal;
    private readonly string? _singleTopic;
    private readonly Dictionary<TopicPartition, PartitionState> _assigned = [];
    private readonly List<ConsumedRecord>?[] _batchPool = new List<ConsumedRecord>?[BatchPoolSize];
    private int _pooledBatches; // guarded by _batchPool
    private readonly Lock _commitGate = new();
    private readonly Dictionary<PartitionState, long> _pendingCommits = [];
    private readonly object _wakeGate = new();
    private bool _wakeSignaled;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile ConsumerCallbacks? _callbacks;
    private volatile bool _stopRequested;
    private volatile PartitionState[] _assignedSnapshot = [];
    private Error? _fatalError;
    private long _batchStamp;
    private long _nextCommitAt; // Stopwatch ticks: after a commit (spacing) or a failed one (back-off)
    private long _rebalanceHoldUntil; // Stopwatch ticks; 0 when not holding for a rebalance
    private Thread? _thread;
    private PartitionState? _lastAccepted; // consecutive records mostly come from one partition

    public ConsumerWorker(KafkaConsumerSettings settings, KafkaSourceCounters counters, ReleaseSignal signal)
    {
        _settings = settings;
        _counters = counters;
        _signal = signal;
        _singleTopic = settings.SingleTopic;
    }

    public Task Completion => _completion.Task;

    /// <summary>Starts the consumer thread.</summary>
    public void Start(ConsumerCallbacks callbacks)
    {
        _callbacks = callbacks;
        _thread = new Thread(Run)
        {
            IsBackground = true,
            Name = $"kafka-consumer:{_settings.GroupId}",
        };
        _thread.Start();
    }

    /// <summary>Asks the thread to close the consumer (final commit in the revoke handler) and end.</summary>
    public void RequestStop()
    {
        _stopRequested = true;
        Wake();
    }

    /// <summary>After this the thread no longer calls the stage.</summary>
    public void Detach() => _callbacks = null;

    /// <summary>Wakes the thread early (a paused partition drained below its low watermark).</summary>
    public void Wake()
    {
        lock (_wakeGate)
        {
            _wakeSignaled = true;
            Monitor.Pulse(_wakeGate);
        }
    }

    /// <summary>Records handed to the stage and not yet emitted, over all assigned partitions.</summary>
    public long WaitingNow => _assignedSnapshot.Sum(s => (long)s.Waiting);

    /// <summary>Consumer lag summed over the assigned partitions: high watermark minus committed offset.</summary>
    public long ConsumerLag => Lag(committed: true).Sum(m => m.Value);

    /// <summary>Gives a handed-over batch back once the stage has taken its records (any thread).</summary>
    public void ReturnBatch(List<ConsumedRecord> batch)
    {
        batch.Clear();
        lock (_batchPool)
        {
            if (_pooledBatches < BatchPoolSize)
            {
                _batchPool[_pooledBatches++] = batch;
            }
        }
    }

    /// <summary>Queues commit offsets; one entry per partition, the highest wins.</summary>
    public void RequestCommit(List<(PartitionState State, long Offset)> offsets)
    {
        lock (_commitGate)
        {
            foreach (var (state, offset) in offsets)
            {
                if (!_pendingCommits.TryGetValue(state, out var existing) || existing < offset)
                {
                    _pendingCommits[state] = offset;
                }
            }
        }
    }

    private void Run()
    {
        using var meter = new Meter(KafkaMetricNames.Meter);
        meter.CreateObservableGauge(KafkaMetricNames.ConsumerLag, () => Lag(committed: true), "{record}", "Kafka consumer lag per partition: high watermark minus committed offset.");
        meter.CreateObservableGauge(KafkaMetricNames.ConsumerFetchLag, () => Lag(committed: false), "{record}", "Kafka records not yet fetched per partition.");

        IConsumer<byte[]?, byte[]?>? consumer = null;
        try
        {
            consumer = Build();
            if (_settings.LibrdkafkaPattern is { } pattern)
            {
                consumer.Subscribe(pattern);
            }
            else
            {
                consumer.Subscribe(_settings.Topics);
            }

            var batch = RentBatch();
            while (!_stopRequested)
            {
                ThrowIfFatal();
                CommitPending(consumer);
                ResumeDrained(consumer);
                Poll(consumer, batch);
                if (batch.Count > 0)
                {
                    Deliver(consumer, batch);
                    batch = RentBatch();
                }
            }

            CommitPending(consumer);
            consumer.Close(); // serves the revoke handler: final commit of the released prefix
            _callbacks?.Stopped();
            _completion.TrySetResult();
        }
        catch (Exception ex)
        {
            _callbacks?.Failed(ex);
            _completion.TrySetException(ex);
        }
        finally
        {
            consumer?.Dispose();
            _assignedSnapshot = [];
        }
    }

    private List<ConsumedRecord> RentBatch()
    {
        lock (_batchPool)
        {
            if (_pooledBatches > 0)
            {
                var batch = _batchPool[--_pooledBatches]!;
                _batchPool[_pooledBatches] = null;
                return batch;
            }
        }

        return new List<ConsumedRecord>(_settings.MaxHandoffBatch);
    }

    private void WaitForWake(TimeSpan timeout)
    {
        lock (_wakeGate)
        {
            if (!_wakeSignaled)
            {
                Monitor.Wait(_wakeGate, timeout);
            }

            _wakeSignaled = false;
        }
    }

    private IConsumer<byte[]?, byte[]?> Build() =>
        new ConsumerBuilder<byte[]?, byte[]?>(_settings.ToConsumerConfig())
            .SetErrorHandler((_, error) =>
            {
                if (error.IsFatal)
                {
                    _fatalError = error;
                }
                else
                {
                    _counters.ClientError($"{error.Code}: {error.Reason}");
                }
            })
            .SetLogHandler((_, message) => _settings.Log?.Invoke($"{message.Level} {message.Facility}: {message.Message}"))
            .SetPartitionsAssignedHandler(OnAssigned)
            .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(c, partitions, lost: false))
            .SetPartitionsLostHandler((c, partitions) => OnRevoked(c, partitions, lost: true))
            .Build();

    private void ThrowIfFatal()
    {
        if (_fatalError is { } fatal)
        {
            throw new KafkaException(fatal);
        }
    }

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

    /// <summary>
    /// While some partition is above its high watermark the thread takes no records (librdkafka keeps
    /// its bounded prefetch). A partition that drains to the low watermark is released; one that stays
    /// above it for <see cref="KafkaConsumerSettings.PauseAfter"/> is paused in librdkafka, so that the
    /// other partitions flow again. Returns true while the thread should keep holding off.
    /// </summary>
    private bool Throttle(IConsumer<byte[]?, byte[]?> consumer)
    {
        List<PartitionState>? throttled = null;
        foreach (var state in _assigned.Values)
        {
            if (state.Throttled)
            {
                (throttled ??= []).Add(state);
            }
        }

        if (throttled is null)
        {
            return false;
        }

        WaitForWake(_settings.PollTimeout);
        var now = Stopwatch.GetTimestamp();
        List<TopicPartition>? pause = null;
        var holdOff = false;
        foreach (var state in throttled)
        {
            if (state.Waiting <= _settings.PartitionLowWatermark)
            {
                state.Throttled = false;
            }
            else if (Stopwatch.GetElapsedTime(state.ThrottledSince, now) >= _settings.PauseAfter || _stopRequested)
            {
                state.Paused = true;
                state.Throttled = false;
                _counters.Paused();
                (pause ??= []).Add(state.TopicPartition);
            }
            else
            {
                holdOff = true;
            }
        }

        if (pause is not null)
        {
            consumer.Pause(pause);
        }

        return holdOff;
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

    private void ResumeDrained(IConsumer<byte[]?, byte[]?> consumer)
    {
        if (_rebalanceHoldUntil != 0)
        {
            if (Stopwatch.GetTimestamp() < _rebalanceHoldUntil)
            {
                return;
            }

            _rebalanceHoldUntil = 0;
        }

        List<TopicPartition>? resume = null;
        foreach (var state in _assigned.Values)
        {
            if (state.Paused && state.Waiting <= _settings.PartitionLowWatermark)
            {
                state.Paused = false;
                _counters.Resumed();
                (resume ??= []).Add(state.TopicPartition);
            }
        }

        if (resume is not null)
        {
            consumer.Resume(resume);
        }
    }

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

    private IEnumerable<Measurement<long>> Lag(bool committed)
    {
        foreach (var state in _assignedSnapshot)
        {
            var high = Volatile.Read(ref state.HighWatermark);
            // Before the first commit of this assignment the group's position is where consumption started.
            var committedOffset = Volatile.Read(ref state.CommittedOffset);
            var position = !committed ? Volatile.Read(ref state.NextOffset)
                : committedOffset >= 0 ? committedOffset : Volatile.Read(ref state.FirstOffset);
            if (high < 0 || position < 0)
            {
                continue;
            }

            yield return new Measurement<long>(
                Math.Max(0, high - position),
                new KeyValuePair<string, object?>("topic", state.TopicPartition.Topic),
                new KeyValuePair<string, object?>("partition", state.TopicPartition.Partition.Value),
                new KeyValuePair<string, object?>("group", _settings.GroupId));
        }
    }
}
