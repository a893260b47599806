namespace ReactiveIngest.Service.Demo;

/// <summary>What the demo's legend explains once at start: how long windows hold messages, and the bound.</summary>
/// <param name="LongestWindow">The longest window size, or null when a session window makes the hold open-ended.</param>
/// <param name="OutOfOrderness">How long the watermark trails the newest event time.</param>
/// <param name="AllowedLateness">How late a reading may be and still update its window.</param>
/// <param name="UnacknowledgedBound">Sum of MaxInFlight × ConnectionCount over the MQTT sources, or null when there is none.</param>
public sealed record DemoStatusContext(
    TimeSpan? LongestWindow,
    TimeSpan OutOfOrderness,
    TimeSpan AllowedLateness,
    long? UnacknowledgedBound);
