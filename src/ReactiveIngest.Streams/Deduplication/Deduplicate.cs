using Akka;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Deduplication;

/// <summary>Entry points for dropping recently seen readings (see <see cref="DeduplicateStage"/>).</summary>
public static class Deduplicate
{
    /// <summary>The two-outlet stage: batches on out0, dead letters of batches that failed on out1.</summary>
    public static DeduplicateStage Stage(DeduplicateSettings settings) => new(settings);

    /// <summary>
    /// A flow of batches without recently seen readings whose dead letters (batches that failed) go to
    /// <paramref name="deadLetters"/>, which must release each dead letter's acknowledgement reference once it is stored.
    /// </summary>
    public static Flow<Envelope<ReadingBatch>, Envelope<ReadingBatch>, NotUsed> Create<TMat>(DeduplicateSettings settings, Sink<Envelope<DeadLetter>, TMat> deadLetters)
    {
        ArgumentNullException.ThrowIfNull(deadLetters);
        var stage = Stage(settings);
        return Flow.FromGraph(GraphDsl.Create(builder =>
        {
            var dedupe = builder.Add(stage);
            builder.From(dedupe.Out1).To(builder.Add(deadLetters));
            return new FlowShape<Envelope<ReadingBatch>, Envelope<ReadingBatch>>(dedupe.In, dedupe.Out0);
        }));
    }
}
