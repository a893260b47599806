using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>The outputs with the aggregate sink wrapped by <see cref="ProvisionalWindows"/>; raw points and dead letters unchanged.</summary>
public sealed class ProvisionalOutputs(IPipelineOutputs inner, ProvisionalWindows provisional) : IPipelineOutputs
{
    /// <inheritdoc />
    public Sink<Envelope<ReadingBatch>, Task> Raw() => inner.Raw();

    /// <inheritdoc />
    public Sink<Envelope<NamedWindowResult>, Task> Aggregates() => provisional.Wrap(inner.Aggregates());

    /// <inheritdoc />
    public Sink<Envelope<DeadLetter>, Task> DeadLetters() => inner.DeadLetters();
}
