using System.Diagnostics.Metrics;
using Confluent.Kafka;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// Owns the Confluent.Kafka consumer and the dedicated thread that polls it. Talks to the stage only
/// through <see cref="ConsumerCallbacks"/> (async callbacks) and through small, bounded shared state:
/// pending commits (one entry per partition), per-partition waiting counters, and a wake-up event.
/// Rebalance handlers run here, inside Consume/Close.
/// </summary>
internal sealed partial class ConsumerWorker
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
