using Akka.Streams.Dsl;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs.Memory;

/// <summary>
/// The output when no store is configured (the demo): the live view (updated upstream) is the store, so raw points and
/// window results count as stored once seen. Nothing here survives a restart, which is why it is only registered when
/// InfluxDB is not configured.
/// </summary>
public sealed class MemoryOutput(PipelineStatus status) : IOutput
{
    /// <inheritdoc />
    public string Name => "memory";

    /// <inheritdoc />
    public Sink<Envelope<ReadingBatch>, Task> Readings() => Acked.ForEach<ReadingBatch>(batch => status.AddPointsWritten(batch.Count));

    /// <inheritdoc />
    public Sink<Envelope<NamedWindowResult>, Task> Windows() => Acked.Ignore<NamedWindowResult>();
}
