using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Failures;

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
/// <para><b>On an element's exception</b> (a bug, not bad input): the batch is not emitted; it goes to
/// <see cref="DeadLetters"/> as one dead letter with <see cref="Core.Validation.RejectReason.ProcessingFailed"/>, the
/// bytes of its message and its reference of the handle, and the stage goes on. Readings of that batch looked up
/// before the exception stay remembered (a resend of them is dropped as a duplicate).</para>
/// <para><b>Emits when</b> upstream emits a batch that still has readings after dropping duplicates (on
/// <see cref="Out"/>), or a batch failed (on <see cref="DeadLetters"/>).</para>
/// <para><b>Backpressures when</b> <see cref="Out"/> backpressures, or a dead letter waits for demand.</para>
/// <para><b>Completes when</b> upstream completes and a waiting dead letter is pushed.</para>
/// <para><b>Fails when</b> upstream fails; never because of one batch.</para>
/// <para><b>Cancels when</b> either outlet cancels.</para>
/// </summary>
public sealed class DeduplicateStage : GraphStage<FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>>
{
    private readonly DeduplicateSettings _settings;

    /// <summary>Creates the stage.</summary>
    public DeduplicateStage(DeduplicateSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        Shape = new FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(In, Out, DeadLetters);
    }

    /// <summary>Batches in.</summary>
    public Inlet<Envelope<ReadingBatch>> In { get; } = new("Deduplicate.in");

    /// <summary>Batches without recent duplicates (outlet 0).</summary>
    public Outlet<Envelope<ReadingBatch>> Out { get; } = new("Deduplicate.out");

    /// <summary>Batches whose processing threw (outlet 1).</summary>
    public Outlet<Envelope<DeadLetter>> DeadLetters { get; } = new("Deduplicate.deadLetters");

    /// <inheritdoc />
    public override FanOutShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>, Envelope<DeadLetter>> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly DeduplicateStage _stage;
        private readonly RecentReadings _recent;
        private readonly DeduplicationCounters? _counters;
        private readonly Action<Reading>? _beforeLookup;
        private Reading[] _kept = new Reading[16];
        private Envelope<DeadLetter>? _deadLetter;

        public Logic(DeduplicateStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _recent = new RecentReadings(stage._settings.Depth, stage._settings.MaxKeys);
            _counters = stage._settings.Counters;
            _beforeLookup = stage._settings.BeforeLookup;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () =>
            {
                if (_deadLetter is null)
                {
                    CompleteStage();
                }
            });
            SetHandler(stage.Out, onPull: PullIfIdle);
            SetHandler(stage.DeadLetters, onPull: () =>
            {
                if (_deadLetter is { } deadLetter)
                {
                    _deadLetter = null;
                    Push(stage.DeadLetters, deadLetter);
                    if (IsClosed(stage.In))
                    {
                        CompleteStage();
                        return;
                    }

                    PullIfIdle();
                }
            });
        }

        /// <summary>Pulls when <see cref="Out"/> has demand and no dead letter waits (so one batch is in the stage at most).</summary>
        private void PullIfIdle()
        {
            if (_deadLetter is null && IsAvailable(_stage.Out) && !HasBeenPulled(_stage.In) && !IsClosed(_stage.In))
            {
                Pull(_stage.In);
            }
        }

        private void OnPush()
        {
            var envelope = Grab(_stage.In);
            Envelope<ReadingBatch>? output;
            try
            {
                output = Deduplicate(envelope);
            }
#pragma warning disable CA1031 // one batch must not fail the stage: it becomes a dead letter
            catch (Exception ex)
#pragma warning restore CA1031
            {
                // Nothing was emitted or released for the batch, so its one reference goes with the dead letter; nothing of its
                // message goes on, so the dead letter ends it.
                Array.Clear(_kept);
                var deadLetter = new Envelope<DeadLetter>(ProcessingFailure.Of(envelope.Payload, ex, "Deduplicate") with { WholeMessage = true }, envelope.Ack);
                if (IsAvailable(_stage.DeadLetters))
                {
                    Push(_stage.DeadLetters, deadLetter);
                    PullIfIdle();
                }
                else
                {
                    _deadLetter = deadLetter;
                }

                return;
            }

            if (output is null)
            {
                envelope.Ack.Release();
                PullIfIdle();
                return;
            }

            Push(_stage.Out, output);
        }

        /// <summary>The batch without duplicates: itself when it has none, null when all are.</summary>
        private Envelope<ReadingBatch>? Deduplicate(Envelope<ReadingBatch> envelope)
        {
            var batch = envelope.Payload;
            var readings = batch.AsSpan();
            var evictionsBefore = _recent.Evictions;
            var firstDuplicate = -1;
            for (var i = 0; i < readings.Length; i++)
            {
                _beforeLookup?.Invoke(readings[i]);
                if (_recent.SeenOrAdd(readings[i]))
                {
                    firstDuplicate = i;
                    break;
                }
            }

            if (firstDuplicate < 0)
            {
                _counters?.Add(0, 0, _recent.Evictions - evictionsBefore);
                return envelope;
            }

            if (_kept.Length < readings.Length)
            {
                _kept = new Reading[Math.Max(readings.Length, _kept.Length * 2)];
            }

            readings[..firstDuplicate].CopyTo(_kept);
            var kept = firstDuplicate;
            for (var i = firstDuplicate + 1; i < readings.Length; i++)
            {
                _beforeLookup?.Invoke(readings[i]);
                if (!_recent.SeenOrAdd(readings[i]))
                {
                    _kept[kept++] = readings[i];
                }
            }

            var emptied = kept == 0;
            _counters?.Add(readings.Length - kept, emptied ? 1 : 0, _recent.Evictions - evictionsBefore);
            if (emptied)
            {
                return null;
            }

            var remaining = _kept.AsSpan(0, kept).ToArray();
            Array.Clear(_kept, 0, kept); // the buffer must not keep readings (their strings) alive
            return new Envelope<ReadingBatch>(new ReadingBatch(remaining, batch.Partition, batch.Source), envelope.Ack);
        }
    }
}
