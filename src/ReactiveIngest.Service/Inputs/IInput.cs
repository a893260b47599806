using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Inputs;

/// <summary>
/// One configured input, the seam between a connector and the pipeline. A connector registers one instance per
/// configured input (<c>services.AddSingleton&lt;IInput&gt;(…)</c>); the pipeline composes every registered input and
/// never names a connector. What an input contributes:
/// <list type="bullet">
/// <item>its <see cref="Name"/> (in logs, metrics, dead letters and as its journal's directory);</item>
/// <item>its source (<see cref="Open"/>), with a control for stopping, statistics and readiness;</item>
/// <item>the <see cref="Decoder"/> of its payloads;</item>
/// <item>its edge limit (<see cref="MaxMessageBytes"/>) and its <see cref="Journaling"/> policy.</item>
/// </list>
/// </summary>
public interface IInput
{
    /// <summary>The input's name, unique among inputs.</summary>
    string Name { get; }

    /// <summary>The configuration section it was read from (for error messages), or null when it was not configured.</summary>
    string? Key { get; }

    /// <summary>The codec for this input's payloads.</summary>
    IReadingDecoder Decoder { get; }

    /// <summary>
    /// The largest message the pipeline admits from this input before the journal: larger ones are cut to a head and
    /// dead-lettered as <c>TooLarge</c> (and acknowledged). Null when the input enforces its limit at its own edge.
    /// </summary>
    int? MaxMessageBytes { get; }

    /// <summary>How the input's messages are journaled.</summary>
    InputJournaling Journaling { get; }

    /// <summary>
    /// True when a message's partition number is only unique within its topic (Kafka), so that each (topic, partition)
    /// needs its own watermark partition; false when the number alone identifies the input (MQTT connections, HTTP).
    /// </summary>
    bool PartitionsPerTopic { get; }

    /// <summary>The input's messages as a new source, called once per graph (again after a restart).</summary>
    Source<Envelope<RawMessage>, IInputControl> Open();
}
