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
    public override ILogicAndMaterializedValue<IKafkaControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes) =>
        ConsumerStageLogic.Materialize(_settings, parts => new Logic(this, parts));

    private sealed class Logic : ConsumerStageLogic, IOutHandler
    {
        private readonly KafkaSourceStage _stage;

        // Bounded by the number of assigned partitions: a state is in it at most once.
        private readonly Queue<PartitionState> _ready = new();

        public Logic(KafkaSourceStage stage, ConsumerParts parts)
            : base(stage.Shape, parts)
        {
            _stage = stage;
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => StartConsumer(OnRecords, OnRevoked, FailStage, CompleteStage);

        public override void PostStop() => StopConsumer();

        public void OnPull() => TryEmit();

        public void OnDownstreamFinish(Exception cause) => CompleteStage();

        protected override void OnReleased()
        {
            if (IsAvailable(_stage.Out))
            {
                TryEmit();
            }
        }

        private void OnRecords(List<ConsumedRecord> batch)
        {
            foreach (var (state, result) in batch)
            {
                if (Emitter.Accept(state, result) && !state.InReadyRing)
                {
                    state.InReadyRing = true;
                    _ready.Enqueue(state);
                }
            }

            Worker.ReturnBatch(batch);
            if (IsAvailable(_stage.Out))
            {
                TryEmit();
            }
        }

        private void OnRevoked(List<PartitionState> states)
        {
            foreach (var state in states)
            {
                Emitter.Revoke(state);
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
                    Emitter.DropPending(state);
                    continue;
                }

                if (!Emitter.TryTake(state, out var envelope))
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
    }
}
