using ReactiveIngest.Streams.Diagnostics;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Whether a quiet input partition is held back by a stalled output (so its windows must not close) or idle.</summary>
public static class HeldBack
{
    /// <summary>
    /// How long a source must have had input ready whenever the graph asked (<see cref="BackpressureClock.SupplyUnbrokenFor"/>)
    /// before its partitions count as held back, not idle: longer than a pause between bursts of a live source, far
    /// shorter than an idle timeout.
    /// </summary>
    public static readonly TimeSpan After = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The window stages' <see cref="WindowAggregateSettings.HeldBack"/>: a partition is held back while its source
    /// (partition / <see cref="IngestGraph.PartitionsPerSource"/>) has passed an element and has not run dry for at least
    /// <see cref="After"/>. Readings that stop arriving then are queued upstream (journal entries, Kafka
    /// records) behind a stalled sink (an InfluxDB outage), not absent, so their windows must not close on the idle
    /// timeout and the wall-clock fallback. A source that runs dry (a quiet fleet, or its own bound: the journal's
    /// <c>MaxUnreleasedEntries</c>, MQTT <c>MaxInFlight</c>, Kafka <c>MaxUnreleasedPerPartition</c>) is not held back.
    /// Kafka partitions are judged by their source: a silent partition of a source whose other partitions have a
    /// backlog stays active until that source runs dry.
    /// </summary>
    public static Func<int, bool> Probe(IReadOnlyList<BackpressureClock> sourceClocks)
    {
        ArgumentNullException.ThrowIfNull(sourceClocks);
        return partition =>
        {
            var source = partition / IngestGraph.PartitionsPerSource;
            if ((uint)source >= (uint)sourceClocks.Count)
            {
                return false;
            }

            var clock = sourceClocks[source];
            return clock.Elements > 0 && clock.SupplyUnbrokenFor >= After;
        };
    }
}
