using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>The decoder and validator the pipeline benchmark measures: switch here, in one place.</summary>
public static class BenchmarkCodec
{
    /// <summary>
    /// The JSON decoder. Until the codecs branch is merged this is the benchmark-only <see cref="MinimalJsonDecoder"/>;
    /// afterwards replace the body with:
    /// <c>new JsonReadingDecoder(new JsonCodecOptions { TimestampUnit = TimestampUnit.Milliseconds })</c>.
    /// </summary>
    public static IReadingDecoder CreateDecoder() => new MinimalJsonDecoder();

    /// <summary>The validator; after the merge use the production <c>ReadingValidator</c> if it implements <see cref="IReadingValidator"/>.</summary>
    public static IReadingValidator CreateValidator() => new MinimalValidator();
}
