using System.Collections.Concurrent;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Alert events per rule and state: how many the rules produced, and how many their target acknowledged (MQTT
/// PUBACK/PUBCOMP or a Kafka delivery report). The difference is what is still on its way. One entry per configured
/// rule and state, so the map is bounded by the configuration, not by the input.
/// </summary>
public sealed class AlertCounters
{
    private readonly ConcurrentDictionary<(string Rule, AlertState State), Counts> _counts = new();

    /// <summary>Counts one event produced by a rule.</summary>
    public void Produced(AlertEvent alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Interlocked.Increment(ref For(alert).Produced);
    }

    /// <summary>Counts one event acknowledged by its target.</summary>
    public void Published(AlertEvent alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        Interlocked.Increment(ref For(alert).Published);
    }

    /// <summary>The counts so far, per rule and state.</summary>
    public IReadOnlyList<AlertCount> Snapshot() =>
        _counts.Select(kv => new AlertCount(kv.Key.Rule, kv.Key.State, Interlocked.Read(ref kv.Value.Produced), Interlocked.Read(ref kv.Value.Published)))
            .OrderBy(c => c.Rule, StringComparer.Ordinal)
            .ThenBy(c => c.State)
            .ToList();

    private Counts For(AlertEvent alert) => _counts.GetOrAdd((alert.Rule, alert.State), static _ => new Counts());

    private sealed class Counts
    {
        public long Produced;
        public long Published;
    }
}
