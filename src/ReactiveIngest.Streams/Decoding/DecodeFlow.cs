using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Decoding;

/// <summary>Entry points for decoding messages into reading batches.</summary>
public static class DecodeFlow
{
    /// <summary>The two-outlet stage: batches on out0, dead letters on out1 (see <see cref="DecodeStage"/>).</summary>
    public static DecodeStage Stage(IReadingDecoder decoder, IReadingValidator? validator = null, int maxPayloadBytes = 1 << 20) =>
        new(decoder, validator, maxPayloadBytes);

    /// <summary>
    /// A flow of valid reading batches whose dead letters go to <paramref name="deadLetters"/> (which must release
    /// each dead letter's acknowledgement reference once it is stored).
    /// </summary>
    public static Flow<Envelope<RawMessage>, Envelope<ReadingBatch>, NotUsed> Create<TMat>(
        IReadingDecoder decoder,
        Sink<Envelope<DeadLetter>, TMat> deadLetters,
        IReadingValidator? validator = null,
        int maxPayloadBytes = 1 << 20)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        var stage = Stage(decoder, validator, maxPayloadBytes);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var decode = builder.Add(stage);
            var sink = builder.Add(deadLetters);
            builder.From(decode.Out1).To(sink);
            return new FlowShape<Envelope<RawMessage>, Envelope<ReadingBatch>>(decode.In, decode.Out0);
        }));
    }
}
