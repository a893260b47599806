using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Deduplication;

/// <summary>
/// Drops a reading whose identity — device id, metric, tags and event timestamp, the identity of its InfluxDB point —
/// was seen recently, so that a resent message (a device retry, an MQTT QoS 1 redelivery after a reconnect, a Kafka
/// record processed again after a rebalance) is not counted twice by the windows, while the raw point it would
/// overwrite is written once anyway. The first copy wins: a later copy with another value is dropped too (InfluxDB
/// alone would keep the last value; here raw points and aggregates both see the first).
/// <para>Bounded memory: per series (device + metric + tags) the last <see cref="DeduplicateSettings.Depth"/> distinct
/// timestamps in arrival order, for at most <see cref="DeduplicateSettings.MaxKeys"/> series (clock eviction of a
/// series not hit recently, counted). What escapes detection, and so is still counted twice by the windows:
/// a copy that arrives after its series received <c>Depth</c> other timestamps since the original (a redelivery of a
/// long backlog, a replay from an old offset); a copy of a series that was evicted in between (more than
/// <c>MaxKeys</c> series active); and copies that pass through two different stages (one per scaled-out instance):
/// a series must be routed to one place, as per-device state is everywhere.</para>
/// <para>Duplicates are counted in <see cref="DeduplicateSettings.Counters"/>, not dead-lettered: they are not bad
/// input. Acknowledgement: a batch with some duplicates is emitted as a smaller batch with the same handle; a batch
/// whose readings are all duplicates is not emitted and the stage releases its reference itself, so the source
/// message is acknowledged normally. Downstream never sees an empty batch. Batches without duplicates pass through
/// unchanged (no allocation).</para>
/// <para><b>Emits when</b> upstream emits a batch that still has readings after dropping duplicates.</para>
/// <para><b>Backpressures when</b> downstream backpressures.</para>
/// <para><b>Completes when</b> upstream completes.</para>
/// <para><b>Cancels when</b> downstream cancels.</para>
/// </summary>
public sealed class DeduplicateStage : GraphStage<FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>>>
{
    private readonly DeduplicateSettings _settings;

    /// <summary>Creates the stage.</summary>
    public DeduplicateStage(DeduplicateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Shape = new FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>>(In, Out);
    }

    /// <summary>Batches in.</summary>
    public Inlet<Envelope<ReadingBatch>> In { get; } = new("Deduplicate.in");

    /// <summary>Batches without recent duplicates.</summary>
    public Outlet<Envelope<ReadingBatch>> Out { get; } = new("Deduplicate.out");

    /// <inheritdoc />
    public override FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly DeduplicateStage _stage;
        private readonly RecentReadings _recent;
        private readonly DeduplicationCounters? _counters;
        private Reading[] _kept = new Reading[16];

        public Logic(DeduplicateStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _recent = new RecentReadings(stage._settings.Depth, stage._settings.MaxKeys);
            _counters = stage._settings.Counters;
            SetHandler(stage.In, onPush: OnPush);
            SetHandler(stage.Out, onPull: () => Pull(stage.In));
        }

        private void OnPush()
        {
            var envelope = Grab(_stage.In);
            var batch = envelope.Payload;
            var readings = batch.AsSpan();
            var evictionsBefore = _recent.Evictions;
            var firstDuplicate = -1;
            for (var i = 0; i < readings.Length; i++)
            {
                if (_recent.SeenOrAdd(readings[i]))
                {
                    firstDuplicate = i;
                    break;
                }
            }

            if (firstDuplicate < 0)
            {
                _counters?.Add(0, 0, _recent.Evictions - evictionsBefore);
                Push(_stage.Out, envelope);
                return;
            }

            if (_kept.Length < readings.Length)
            {
                _kept = new Reading[Math.Max(readings.Length, _kept.Length * 2)];
            }

            readings[..firstDuplicate].CopyTo(_kept);
            var kept = firstDuplicate;
            for (var i = firstDuplicate + 1; i < readings.Length; i++)
            {
                if (!_recent.SeenOrAdd(readings[i]))
                {
                    _kept[kept++] = readings[i];
                }
            }

            var emptied = kept == 0;
            _counters?.Add(readings.Length - kept, emptied ? 1 : 0, _recent.Evictions - evictionsBefore);
            if (emptied)
            {
                envelope.Ack.Release();
                Pull(_stage.In);
                return;
            }

            var remaining = _kept.AsSpan(0, kept).ToArray();
            Array.Clear(_kept, 0, kept); // the buffer must not keep readings (their strings) alive
            Push(_stage.Out, new Envelope<ReadingBatch>(new ReadingBatch(remaining, batch.Partition, batch.Source), envelope.Ack));
        }
    }
}
