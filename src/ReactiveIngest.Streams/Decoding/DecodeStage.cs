using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>
/// Decodes each message with an <see cref="IReadingDecoder"/>, validates each reading, and sends the valid readings
/// as one <see cref="ReadingBatch"/> to <see cref="Readings"/> and everything rejected, with its reason and the
/// original bytes, to <see cref="DeadLetters"/>.
/// <para><b>On an element's exception</b> (the decoder or validator throws): the message, or from the validator the
/// reading, becomes a dead letter with <see cref="RejectReason.ProcessingFailed"/> (detail <c>{exception type}:
/// {message} (in Decode)</c>) and the stage goes on with the next message.</para>
/// <para>Acknowledgement: the message's handle gets one reference per output element (the batch and each dead
/// letter); whoever consumes an element releases its reference.</para>
/// <para><b>Emits when</b> a message was decoded and the outlet for each of its outputs has demand.</para>
/// <para><b>Backpressures when</b> the outputs of the current message have not all been pushed (at most one batch and
/// one dead letter per rejected reading are buffered).</para>
/// <para><b>Completes when</b> upstream completes and the buffered outputs are pushed.</para>
/// <para><b>Fails when</b> upstream fails; never because of one message.</para>
/// <para><b>Cancels when</b> either outlet cancels.</para>
/// </summary>
public sealed class DecodeStage : GraphStage<FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>>
{
    private readonly IReadingDecoder _decoder;
    private readonly IReadingValidator? _validator;
    private readonly int _maxPayloadBytes;

    /// <summary>Creates the stage.</summary>
    /// <param name="decoder">The payload codec.</param>
    /// <param name="validator">Checks each reading; null accepts every decoded reading.</param>
    /// <param name="maxPayloadBytes">Larger payloads are rejected with <see cref="RejectReason.TooLarge"/> without decoding.</param>
    public DecodeStage(IReadingDecoder decoder, IReadingValidator? validator = null, int maxPayloadBytes = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        _decoder = decoder;
        _validator = validator;
        _maxPayloadBytes = maxPayloadBytes;
        Shape = new FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(In, Readings, DeadLetters);
    }

    /// <summary>Messages in.</summary>
    public Inlet<Envelope<RawMessage>> In { get; } = new("Decode.in");

    /// <summary>Valid readings, one batch per message that has any.</summary>
    public Outlet<Envelope<ReadingBatch>> Readings { get; } = new("Decode.readings");

    /// <summary>Rejected messages and readings.</summary>
    public Outlet<Envelope<DeadLetter>> DeadLetters { get; } = new("Decode.deadLetters");

    /// <inheritdoc />
    public override FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>> Shape { get; }

    /// <inheritdoc />
    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly DecodeStage _stage;
        private readonly MessageDecoder _decoder;
        private readonly Queue<Envelope<DeadLetter>> _deadLetters = new();
        private Envelope<ReadingBatch>? _batch;

        public Logic(DecodeStage stage)
            : base(stage.Shape)
        {
            _stage = stage;
            _decoder = new MessageDecoder(stage._decoder, stage._validator, stage._maxPayloadBytes);
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () => CompleteIfDone());
            SetHandler(stage.Readings, onPull: Drain);
            SetHandler(stage.DeadLetters, onPull: Drain);
        }

        private void OnPush()
        {
            _batch = _decoder.Decode(Grab(_stage.In), _deadLetters);
            Drain();
        }

        private void Drain()
        {
            if (_batch is { } batch && IsAvailable(_stage.Readings))
            {
                _batch = null;
                Push(_stage.Readings, batch);
            }

            if (_deadLetters.Count > 0 && IsAvailable(_stage.DeadLetters))
            {
                Push(_stage.DeadLetters, _deadLetters.Dequeue());
            }

            if (_batch is null && _deadLetters.Count == 0)
            {
                if (IsClosed(_stage.In))
                {
                    CompleteStage();
                }
                else if (!HasBeenPulled(_stage.In))
                {
                    Pull(_stage.In);
                }
            }
        }

        private void CompleteIfDone()
        {
            if (_batch is null && _deadLetters.Count == 0)
            {
                CompleteStage();
            }
        }
    }
}
