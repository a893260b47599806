namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>One injected fault that reached the broker.</summary>
/// <param name="Kind">What was injected.</param>
/// <param name="DeviceId">The device.</param>
/// <param name="TimestampMs">The event time in the payload (for malformed payloads, the event time it would have had).</param>
/// <param name="SentAtMs">When the broker accepted it.</param>
/// <param name="Detail">For malformed payloads, how it is broken.</param>
public sealed record Injection(InjectionKind Kind, string DeviceId, long TimestampMs, long SentAtMs, string? Detail = null);
