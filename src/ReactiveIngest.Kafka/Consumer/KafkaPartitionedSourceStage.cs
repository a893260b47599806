using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.Streams.Stage;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// A committable Kafka source with one substream per assigned partition: the same consumer thread,
/// per-partition backpressure and committing as <see cref="KafkaSourceStage"/>, but each assignment's
/// records go to their own <see cref="Source{TOut,TMat}"/>, emitted together with the partition when it is assigned.
/// A partition that is assigned again after a revoke gets a new substream.
/// <para><b>Emits when</b> a partition was assigned and downstream pulls (announcements wait, one per assigned
/// partition). A substream emits when its own downstream pulls and its partition has a waiting record whose
/// unreleased-record window is not full.</para>
/// <para><b>Backpressures when</b> — a source: a substream whose downstream does not pull lets its partition's
/// waiting records reach <see cref="KafkaConsumerSettings.PartitionHighWatermark"/>, and the partition is
/// paused in the consumer (which keeps polling); it resumes at <see cref="KafkaConsumerSettings.PartitionLowWatermark"/>.
/// A substream that is never materialized keeps its partition paused.</para>
/// <para><b>Completes when</b> <see cref="IKafkaControl.StopAsync"/> was called and the consumer closed (every
/// substream completes too). A substream completes when its partition is revoked or lost; its records not yet
/// emitted are dropped (the next owner reads them from the committed offset).</para>
/// <para><b>Cancels when</b> downstream cancels or any substream's downstream cancels: the remaining substreams
/// complete, the released prefix is committed and the consumer closes.</para>
/// <para>Fails (with every substream) when the consumer reports a fatal error.</para>
/// </summary>
public sealed class KafkaPartitionedSourceStage
    : GraphStageWithMaterializedValue<SourceShape<(TopicPartition Partition, Source<Envelope<RawMessage>, NotUsed> Records)>, IKafkaControl>
{
    private readonly KafkaConsumerSettings _settings;

    /// <summary>Creates the stage; prefer <see cref="KafkaSource.CommittablePartitioned"/>.</summary>
    public KafkaPartitionedSourceStage(KafkaConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Shape = new SourceShape<(TopicPartition, Source<Envelope<RawMessage>, NotUsed>)>(Out);
    }

    /// <summary>The outlet of partition announcements.</summary>
    public Outlet<(TopicPartition Partition, Source<Envelope<RawMessage>, NotUsed> Records)> Out { get; } = new("KafkaPartitionedSource.out");

    /// <inheritdoc />
    public override SourceShape<(TopicPartition Partition, Source<Envelope<RawMessage>, NotUsed> Records)> Shape { get; }

    /// <inheritdoc />
    protected override Attributes InitialAttributes { get; } = Attributes.CreateName("KafkaPartitionedSource");

    /// <inheritdoc />
    public override ILogicAndMaterializedValue<IKafkaControl> CreateLogicAndMaterializedValue(Attributes inheritedAttributes) =>
        ConsumerStageLogic.Materialize(_settings, parts => new Logic(this, parts));

    private sealed class Logic : ConsumerStageLogic, IOutHandler
    {
        private readonly KafkaPartitionedSourceStage _stage;

        // Both bounded by the number of assigned partitions: entries are removed on revoke.
        private readonly Dictionary<PartitionState, SubSourceOutlet<Envelope<RawMessage>>> _outlets = [];
        private readonly List<PartitionState> _unannounced = [];

        public Logic(KafkaPartitionedSourceStage stage, ConsumerParts parts)
            : base(stage.Shape, parts)
        {
            _stage = stage;
            SetHandler(stage.Out, this);
        }

        public override void PreStart() => StartConsumer(OnRecords, OnRevoked, OnFailed, Finish, OnAssigned);

        public override void PostStop()
        {
            CompleteSubstreams();
            StopConsumer();
        }

        public void OnPull() => Announce();

        public void OnDownstreamFinish(Exception cause) => Finish();

        protected override void OnReleased()
        {
            foreach (var state in _outlets.Keys)
            {
                TryPush(state);
            }
        }

        private void OnAssigned(List<PartitionState> states)
        {
            foreach (var state in states)
            {
                if (state.Revoked)
                {
                    continue; // revoked before the stage heard of it
                }

                var outlet = new SubSourceOutlet<Envelope<RawMessage>>(this, $"KafkaPartitionedSource.{state.TopicPartition}");
                outlet.SetHandler(new SubstreamHandler(this, state));
                _outlets[state] = outlet;
                Emitter.Track(state);
                _unannounced.Add(state);
            }

            Announce();
        }

        private void Announce()
        {
            if (_unannounced.Count == 0 || !IsAvailable(_stage.Out))
            {
                return;
            }

            var state = _unannounced[0];
            _unannounced.RemoveAt(0);
            Push(_stage.Out, (state.TopicPartition, Source.FromGraph(_outlets[state].Source)));
        }

        private void OnRecords(List<ConsumedRecord> batch)
        {
            PartitionState? last = null;
            foreach (var (state, result) in batch)
            {
                if (Emitter.Accept(state, result) && !ReferenceEquals(state, last))
                {
                    last = state;
                    TryPush(state); // the rest of a run of one partition follows on its pulls
                }
            }

            Worker.ReturnBatch(batch);
        }

        private void TryPush(PartitionState state)
        {
            if (_outlets.TryGetValue(state, out var outlet) && outlet.IsAvailable && Emitter.TryTake(state, out var envelope))
            {
                outlet.Push(envelope);
            }
        }

        private void OnRevoked(List<PartitionState> states)
        {
            foreach (var state in states)
            {
                Emitter.Revoke(state);
                _unannounced.Remove(state);
                if (_outlets.Remove(state, out var outlet))
                {
                    outlet.Complete();
                }
            }
        }

        private void OnFailed(Exception cause)
        {
            foreach (var outlet in _outlets.Values)
            {
                outlet.Fail(cause);
            }

            _outlets.Clear();
            FailStage(cause);
        }

        private void Finish()
        {
            CompleteSubstreams();
            CompleteStage();
        }

        private void CompleteSubstreams()
        {
            foreach (var outlet in _outlets.Values)
            {
                outlet.Complete();
            }

            _outlets.Clear();
        }

        private sealed class SubstreamHandler : OutHandler
        {
            private readonly Logic _logic;
            private readonly PartitionState _state;

            public SubstreamHandler(Logic logic, PartitionState state)
            {
                _logic = logic;
                _state = state;
            }

            public override void OnPull() => _logic.TryPush(_state);

            public override void OnDownstreamFinish(Exception cause)
            {
                _logic._outlets.Remove(_state);
                _logic.Finish();
            }
        }
    }
}
