using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Streams.Deduplication;

/// <summary>Entry points for dropping recently seen readings (see <see cref="DeduplicateStage"/>).</summary>
public static class Deduplicate
{
    /// <summary>The stage.</summary>
    public static DeduplicateStage Stage(DeduplicateSettings settings) => new(settings);

    /// <summary>A flow of batches without recently seen readings.</summary>
    public static Flow<Envelope<ReadingBatch>, Envelope<ReadingBatch>, NotUsed> Create(DeduplicateSettings settings) =>
        Flow.FromGraph(Stage(settings));
}
