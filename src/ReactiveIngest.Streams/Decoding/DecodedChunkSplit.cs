using Akka.Streams;
using Akka.Streams.Stage;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>
/// The last step of the parallel decode flow: takes decoded chunks and emits their batches on outlet 0 and their dead
/// letters on outlet 1, in message order.
/// <para><b>Emits when</b> the current chunk has an output for an outlet with demand.</para>
/// <para><b>Backpressures when</b> the current chunk still has outputs (one chunk is held).</para>
/// <para><b>Completes when</b> upstream completes and the held chunk is emitted.</para>
/// <para><b>Cancels when</b> either outlet cancels.</para>
/// </summary>
internal sealed class DecodedChunkSplit : GraphStage<FanOutShape<DecodedChunk, Envelope<ReadingBatch>, Envelope<DeadLetter>>>
{
    public DecodedChunkSplit() => Shape = new(In, Readings, DeadLetters);

    public Inlet<DecodedChunk> In { get; } = new("DecodedChunkSplit.in");

    public Outlet<Envelope<ReadingBatch>> Readings { get; } = new("DecodedChunkSplit.readings");

    public Outlet<Envelope<DeadLetter>> DeadLetters { get; } = new("DecodedChunkSplit.deadLetters");

    public override FanOutShape<DecodedChunk, Envelope<ReadingBatch>, Envelope<DeadLetter>> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        private readonly DecodedChunkSplit _stage;
        private DecodedChunk? _chunk;

        public Logic(DecodedChunkSplit stage)
            : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: Drain);
            SetHandler(stage.Readings, onPull: Drain);
            SetHandler(stage.DeadLetters, onPull: Drain);
        }

        private void OnPush()
        {
            _chunk = Grab(_stage.In);
            Drain();
        }

        private void Drain()
        {
            if (_chunk is { } chunk)
            {
                if (chunk.Batches.Count > 0 && IsAvailable(_stage.Readings))
                {
                    Push(_stage.Readings, chunk.Batches.Dequeue());
                }

                if (chunk.DeadLetters.Count > 0 && IsAvailable(_stage.DeadLetters))
                {
                    Push(_stage.DeadLetters, chunk.DeadLetters.Dequeue());
                }

                if (chunk.Batches.Count > 0 || chunk.DeadLetters.Count > 0)
                {
                    return;
                }

                _chunk = null;
            }

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
}
