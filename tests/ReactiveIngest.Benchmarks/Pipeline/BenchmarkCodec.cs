using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>The decoder and validator the pipeline benchmark measures: the production ones.</summary>
public static class BenchmarkCodec
{
    /// <summary>The production JSON decoder, configured for the workload's epoch-millisecond timestamps.</summary>
    public static IReadingDecoder CreateDecoder() => new JsonReadingDecoder(new JsonCodecOptions { TimestampUnit = TimestampUnit.Milliseconds });

    /// <summary>The production validator with its default rules.</summary>
    public static IReadingValidator CreateValidator() => new ReadingValidator();
}
