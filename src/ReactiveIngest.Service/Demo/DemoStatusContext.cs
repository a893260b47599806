namespace ReactiveIngest.Service.Demo;

/// <summary>What the demo's legend explains once at start: how long windows hold messages, and the bound.</summary>
/// <param name="LongestWindow">The longest window size, or null when a session window makes the hold open-ended.</param>
/// <param name="OutOfOrderness">How long the watermark trails the newest event time.</param>
/// <param name="AllowedLateness">How late a reading may be and still update its window.</param>
/// <param name="UnacknowledgedBound">
/// The bound on messages awaiting their windows, or null when there is no MQTT source: with the journal, its
/// MaxUnreleasedEntries per MQTT source; without, the sum of MaxInFlight × ConnectionCount over the MQTT sources.
/// </param>
/// <param name="Journaled">True when MQTT input goes through the journal (acknowledged to the broker at commit).</param>
public sealed record DemoStatusContext(
    TimeSpan? LongestWindow,
    TimeSpan OutOfOrderness,
    TimeSpan AllowedLateness,
    long? UnacknowledgedBound,
    bool Journaled = false);
