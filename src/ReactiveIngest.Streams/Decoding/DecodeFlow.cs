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
    /// <summary>Messages decoded together in one thread-pool work item by <see cref="Parallel"/> (at most).</summary>
    public const int DefaultChunkSize = 128;

    /// <summary>The processor count, capped at 8: the default parallelism of decoding.</summary>
    public static int DefaultParallelism => Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>The two-outlet stage: batches on out0, dead letters on out1 (see <see cref="DecodeStage"/>).</summary>
    public static DecodeStage Stage(IReadingDecoder decoder, IReadingValidator? validator = null, int maxPayloadBytes = 1 << 20) =>
        new(decoder, validator, maxPayloadBytes);

    /// <summary>
    /// The same two outlets as <see cref="Stage"/> (same outputs, same order, same acknowledgement references), but
    /// decoding runs on up to <paramref name="parallelism"/> thread-pool threads, off the stream's own thread: messages
    /// are gathered into chunks of at most <paramref name="chunkSize"/> while the decoders are busy (so a light load
    /// adds no latency and a heavy one amortises the hand-off), each chunk is decoded as one task, and the results are
    /// emitted in message order. <paramref name="parallelism"/> ≤ 1 returns the single-threaded <see cref="Stage"/>.
    /// <para><b>Bound:</b> at most (<paramref name="parallelism"/> + 2) × <paramref name="chunkSize"/> messages are held
    /// (one chunk gathering, <paramref name="parallelism"/> decoding or decoded, one being emitted); beyond that it
    /// backpressures.</para>
    /// <para>The decoder and validator are called from several threads at once (both interfaces require thread safety).
    /// As in <see cref="Stage"/>, their exceptions dead-letter the message (or reading) with
    /// <see cref="RejectReason.ProcessingFailed"/>; a decoding task never fails, so the flow fails only when upstream does.</para>
    /// </summary>
    public static IGraph<FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>, NotUsed> Parallel(
        IReadingDecoder decoder,
        IReadingValidator? validator = null,
        int maxPayloadBytes = 1 << 20,
        int parallelism = 2,
        int chunkSize = DefaultChunkSize)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPayloadBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (parallelism <= 1)
        {
            return Stage(decoder, validator, maxPayloadBytes);
        }

        var decodeChunks = Flow.Create<Envelope<RawMessage>>()
            .Batch(chunkSize, first => new List<Envelope<RawMessage>>(chunkSize) { first }, (chunk, next) =>
            {
                chunk.Add(next);
                return chunk;
            })
            .SelectAsync(parallelism, chunk => Task.Run(() => DecodedChunk.Decode(chunk, new MessageDecoder(decoder, validator, maxPayloadBytes))));
        return GraphDsl.Create(builder =>
        {
            var decode = builder.Add(decodeChunks);
            var split = builder.Add(new DecodedChunkSplit());
            builder.From(decode.Outlet).To(split.In);
            return new FanOutShape<Envelope<RawMessage>, Envelope<ReadingBatch>, Envelope<DeadLetter>>(decode.Inlet, split.Out0, split.Out1);
        });
    }

    /// <summary>
    /// A flow of valid reading batches whose dead letters go to <paramref name="deadLetters"/> (which must release
    /// each dead letter's acknowledgement reference once it is stored). With <paramref name="parallelism"/> above 1 it
    /// decodes on that many threads (see <see cref="Parallel"/>).
    /// </summary>
    public static Flow<Envelope<RawMessage>, Envelope<ReadingBatch>, NotUsed> Create<TMat>(
        IReadingDecoder decoder,
        Sink<Envelope<DeadLetter>, TMat> deadLetters,
        IReadingValidator? validator = null,
        int maxPayloadBytes = 1 << 20,
        int parallelism = 1)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        var stage = Parallel(decoder, validator, maxPayloadBytes, parallelism);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var decode = builder.Add(stage);
            var sink = builder.Add(deadLetters);
            builder.From(decode.Out1).To(sink);
            return new FlowShape<Envelope<RawMessage>, Envelope<ReadingBatch>>(decode.In, decode.Out0);
        }));
    }
}
