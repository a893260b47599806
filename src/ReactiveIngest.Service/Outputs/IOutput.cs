using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Outputs;

/// <summary>
/// One output, the seam between the pipeline and a store or target. An output registers itself
/// (<c>services.AddSingleton&lt;IOutput&gt;(…)</c>) and contributes a sink for any of the pipeline's three streams
/// (a null sink: it does not take that stream); the pipeline sends each stream to every output that takes it and never
/// names an output.
/// <para>
/// The contract of every sink: release an element's acknowledgement reference only once the element is durable there
/// (its message is acknowledged when every output released it); its task completes when upstream completed and
/// everything is written, and fails when the output fails (the pipeline then restarts the graph). Each call builds a
/// new sink: the pipeline calls once per graph.
/// </para>
/// </summary>
public interface IOutput
{
    /// <summary>The output's name in logs.</summary>
    string Name { get; }

    /// <summary>A sink for raw readings (when <c>ReactiveIngest:Pipeline:RawWrites</c>), or null.</summary>
    Sink<Envelope<ReadingBatch>, Task>? Readings() => null;

    /// <summary>A sink for window results of every window definition, or null.</summary>
    Sink<Envelope<NamedWindowResult>, Task>? Windows() => null;

    /// <summary>A sink for dead letters (rejected messages and readings, with their reasons), or null.</summary>
    Sink<Envelope<DeadLetter>, Task>? DeadLetters() => null;
}
