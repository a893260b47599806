using ReactiveIngest.Service.Journaling;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// The inputs of the graph that runs now, for readers outside the pipeline (readiness, the status API, the demo's
/// status line): replaced by the pipeline whenever it materializes a graph, emptied when it stops.
/// </summary>
public sealed class RunningInputs(SourceJournals journals)
{
    private volatile IReadOnlyList<RunningInput> _current = [];

    /// <summary>The running inputs (empty while no graph runs).</summary>
    public IReadOnlyList<RunningInput> Current => _current;

    /// <summary>Completes once every running input takes messages (MQTT: connected and subscribed).</summary>
    public Task Ready => Task.WhenAll(_current.Select(i => i.Control.Ready));

    /// <summary>
    /// Source messages taken but not yet done: each input's own window (MQTT messages not yet acknowledged, Kafka
    /// records emitted and not yet released) plus journal entries not yet released by the graph.
    /// </summary>
    public long InFlight
    {
        get
        {
            var current = _current;
            return current.Count == 0 ? 0 : current.Sum(i => i.Control.InFlight ?? 0) + journals.Statistics().Sum(j => j.EntriesPending);
        }
    }

    /// <summary>Called by the pipeline with the inputs of the graph it materialized (or none).</summary>
    internal void Replace(IReadOnlyList<RunningInput> inputs) => _current = inputs;
}
