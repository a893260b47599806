using Akka.Streams;
using Akka.Streams.Stage;
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
        var worker = new ConsumerWorker(_settings, counters, signal);
        return new LogicAndMaterializedValue<IKafkaControl>(
            new Logic(this, worker, counters, signal),
            new KafkaControl(worker, counters, signal));
    }

    private sealed class Logic : TimerGraphStageLogic, IOutHandler
    {
        private const string CommitTimer = "commit";

        private readonly KafkaSourceStage _stage;
        private readonly KafkaConsumerSettings _settings;
        private readonly ConsumerWorker _worker;
        private readonly ReleaseSignal _signal;
        private readonly PartitionEmitter _emitter;

        // Bounded by the number of assigned partitions: a state is in it at most once.
        private readonly Queue<PartitionState> _ready = new();

        public Logic(KafkaSourceStage stage, ConsumerWorker worker, KafkaSourceCounters counters, ReleaseSignal signal)
            : base(stage.Shape)
        {
            _stage = stage;
            _settings = stage._settings;
            _worker = worker;
            _signal = signal;
            _emitter = new PartitionEmitter(_settings, worker, counters, signal);
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
            _emitter.RequestCommits();
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
                if (_emitter.Accept(state, result) && !state.InReadyRing)
                {
                    state.InReadyRing = true;
                    _ready.Enqueue(state);
                }
            }

            _worker.ReturnBatch(batch);
            if (IsAvailable(_stage.Out))
            {
                TryEmit();
            }
        }

        private void OnRevoked(List<PartitionState> states)
        {
            foreach (var state in states)
            {
                _emitter.Revoke(state);
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
                    _emitter.DropPending(state);
                    continue;
                }

                if (!_emitter.TryTake(state, out var envelope))
                {
                    _ready.Enqueue(state); // too many unreleased records: wait for releases
                    continue;
                }

                if (state.Pending.Count > 0)
                {
                    _ready.Enqueue(state);
                }
                else
                {
                    state.InReadyRing = false;
                }

                Push(_stage.Out, envelope);
                return;
            }
        }

        private void CommitReleased()
        {
            _emitter.RequestCommits();
            if (IsAvailable(_stage.Out))
            {
                TryEmit(); // releases may have made room in full partitions
            }
        }
    }
}
