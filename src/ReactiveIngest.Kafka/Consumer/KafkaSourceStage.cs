using System.Text;
using Akka.Streams;
using Akka.Streams.Stage;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// A committable Kafka source. A dedicated thread polls the consumer and hands records over in
/// batches; the stage keeps a bounded queue per partition and emits round-robin across partitions.
/// Each envelope's handle is a <see cref="KafkaCommittableHandle"/>; offsets are committed (offset + 1)
/// for the contiguous released prefix of each partition, batched by count and time, only while the
/// partition is assigned.
/// <para><b>Emits when</b> downstream pulls and some assigned partition has a waiting record whose
/// unreleased-record window (<see cref="KafkaConsumerSettings.MaxUnreleasedPerPartition"/>) is not full.</para>
/// <para><b>Backpressures when</b> — a source: when downstream does not pull, waiting records of a partition
/// reach <see cref="KafkaConsumerSettings.PartitionHighWatermark"/> and that partition is paused in the
/// consumer (which keeps polling); it resumes at <see cref="KafkaConsumerSettings.PartitionLowWatermark"/>.</para>
/// <para><b>Completes when</b> <see cref="IKafkaControl.StopAsync"/> was called and the consumer closed.</para>
/// <para><b>Cancels when</b> downstream cancels: the released prefix is committed and the consumer closes.</para>
/// <para>Fails when the consumer reports a fatal error.</para>
/// </summary>
public sealed class KafkaSourceStage : GraphStageWithMaterializedValue<SourceShape<Envelope<RawMessage>>, IKafkaControl>
{
    private readonly KafkaConsumerSettings _settings;

    /// <summary>Creates the stage; prefer <see cref="KafkaSource.Committable"/>.</summary>
    public KafkaSourceStage(KafkaConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Shape = new SourceShape<Envelope<RawMessage>>(Out);
    }

    /// <summary>The outlet.</summary>
    public Outlet<Envelope<RawMessage>> Out { get; } = new("KafkaSource.out");

    /// <inheritdoc />
    public override SourceShape<Envelope<RawMessage>> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaSource");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<IKafkaControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var counters = new KafkaSourceCounters();
        var signal = new ReleaseSignal(_settings.CommitBatchSize);
        var worker = new ConsumerWorker(_settings, counters);
        return new LogicAndMaterializedValue<IKafkaControl>(
            new Logic(this, worker, counters, signal),
            new KafkaControl(worker, counters, signal));
    }

    private sealed class Logic : TimerGraphStageLogic, IOutHandler
    {
        private const string CommitTimer = "commit";
        private const int EmitPublishInterval = 32;

        private readonly KafkaSourceStage _stage;
        private readonly KafkaConsumerSettings _settings;
        private readonly ConsumerWorker _worker;
        private readonly KafkaSourceCounters _counters;
        private readonly ReleaseSignal _signal;
        private readonly string _sourceName;

        // Bounded by the number of assigned partitions: a state is in each at most once.
        private readonly Queue<PartitionState> _ready = new();
        private readonly List<PartitionState> _active = [];

        public Logic(KafkaSourceStage stage, ConsumerWorker worker, KafkaSourceCounters counters, ReleaseSignal signal)
            : base(stage.Shape)
        {
            _stage = stage;
            _settings = stage._settings;
            _worker = worker;
            _counters = counters;
            _signal = signal;
            _sourceName = _settings.EffectiveSourceName;
            SetHandler(stage.Out, this);
        }

        public override void PreStart()
        {
            var records = GetAsyncCallback<List<ConsumedRecord>>(OnRecords);
            var revoked = GetAsyncCallback<List<PartitionState>>(OnRevoked);
            var failed = GetAsyncCallback<Exception>(FailStage);
            var stopped = GetAsyncCallback(CompleteStage);
            _signal.CommitDue = GetAsyncCallback(CommitReleased);
            ScheduleRepeatedly(CommitTimer, _settings.CommitInterval);
            _worker.Start(new ConsumerCallbacks(records, revoked, failed, stopped));
        }

        public override void PostStop()
        {
            RequestCommits();
            _signal.CommitDue = null;
            _worker.Detach();
            _worker.RequestStop(); // the thread commits once more and closes the consumer
        }

        public void OnPull() => TryEmit();

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        protected override void OnTimer(object timerKey) => CommitReleased();

        private void OnRecords(List<ConsumedRecord> batch)
        {
            foreach (var (state, result) in batch)
            {
                if (state.Revoked)
                {
                    Forget(state, 1);
                    continue;
                }

                if (!state.KnownToStage)
                {
                    state.KnownToStage = true;
                    _active.Add(state);
                }

                state.Pending.Enqueue(result);
                if (!state.InReadyRing)
                {
                    state.InReadyRing = true;
                    _ready.Enqueue(state);
                }
            }

            if (IsAvailable(_stage.Out))
            {
                TryEmit();
            }
        }

        private void OnRevoked(List<PartitionState> states)
        {
            foreach (var state in states)
            {
                DropPending(state);
                _active.Remove(state);
            }
        }

        private void TryEmit()
        {
            for (var attempts = _ready.Count; attempts > 0; attempts--)
            {
                var state = _ready.Dequeue();
                if (state.Revoked || state.Pending.Count == 0)
                {
                    state.InReadyRing = false;
                    DropPending(state);
                    continue;
                }

                if (state.Tracker.IsFull && (state.Tracker.Advance() < 0 || state.Tracker.IsFull))
                {
                    _ready.Enqueue(state); // too many unreleased records: wait for releases
                    continue;
                }

                var result = state.Pending.Dequeue();
                if (++state.UnpublishedEmitted >= EmitPublishInterval || state.Pending.Count == 0)
                {
                    PublishEmitted(state);
                }

                if (state.Pending.Count > 0)
                {
                    _ready.Enqueue(state);
                }
                else
                {
                    state.InReadyRing = false;
                }

                _counters.Emitted();
                Push(_stage.Out, ToEnvelope(state, result));
                return;
            }
        }

        private Envelope<RawMessage> ToEnvelope(PartitionState state, ConsumeResult<byte[]?, byte[]?> result)
        {
            var offset = result.Offset.Value;
            var partition = result.Partition.Value;
            var sequence = state.Tracker.Append(offset);
            var handle = new KafkaCommittableHandle(state.Tracker, _signal, sequence, result.Topic, partition, offset);
            var message = result.Message;
            var receivedAtNs = message.Timestamp.Type == TimestampType.NotAvailable
                ? UnixTime.Now()
                : message.Timestamp.UnixTimestampMs * UnixTime.NanosPerMillisecond;
            var key = message.Key is { } keyBytes ? Encoding.UTF8.GetString(keyBytes) : null;
            var raw = new RawMessage(message.Value ?? [], new MessageContext(result.Topic, receivedAtNs, key), _sourceName, partition);
            return new Envelope<RawMessage>(raw, handle);
        }

        private void CommitReleased()
        {
            RequestCommits();
            if (IsAvailable(_stage.Out))
            {
                TryEmit(); // releases may have made room in full partitions
            }
        }

        private void RequestCommits()
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

        private void DropPending(PartitionState state)
        {
            var dropped = state.Pending.Count;
            if (dropped > 0)
            {
                state.Pending.Clear();
                Forget(state, dropped);
            }
        }

        private void Forget(PartitionState state, int count)
        {
            state.DecrementWaiting(count);
            _counters.DroppedOnRevoke(count);
        }
    }
}
