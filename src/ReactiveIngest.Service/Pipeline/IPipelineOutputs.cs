using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Where the pipeline's results go. Each sink releases an element's acknowledgement reference only once the
/// element is durable there; its Task completes when the sink has finished.
/// </summary>
public interface IPipelineOutputs
{
    /// <summary>Raw readings.</summary>
    Sink<Envelope<ReadingBatch>, Task> Raw();

    /// <summary>Window results of all window definitions.</summary>
    Sink<Envelope<NamedWindowResult>, Task> Aggregates();

    /// <summary>Rejected messages and readings.</summary>
    Sink<Envelope<DeadLetter>, Task> DeadLetters();
}
