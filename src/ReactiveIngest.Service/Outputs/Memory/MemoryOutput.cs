using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Service.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Outputs when no InfluxDB is configured (the demo): the live view (updated upstream) is the store, so raw
/// points and aggregates count as stored once seen; dead letters go to the <see cref="DeadLetterOutput"/> (the in-memory
/// log and the configured target).
/// Nothing here survives a restart, which is why it is only the default when storage is not configured.
/// </summary>
public sealed class MemoryOutputs(PipelineStatus status, DeadLetterOutput deadLetters) : IPipelineOutputs
{
    /// <inheritdoc />
    public Sink<Envelope<ReadingBatch>, Task> Raw() =>
        Sink.ForEach<Envelope<ReadingBatch>>(e =>
        {
            status.AddPointsWritten(e.Payload.Count);
            e.Ack.Release();
        }).MapMaterializedValue(t => (Task)t);

    /// <inheritdoc />
    public Sink<Envelope<NamedWindowResult>, Task> Aggregates() =>
        Sink.ForEach<Envelope<NamedWindowResult>>(e => e.Ack.Release()).MapMaterializedValue(t => (Task)t);

    /// <inheritdoc />
    public Sink<Envelope<DeadLetter>, Task> DeadLetters() => deadLetters.Sink();
}
