using ReactiveIngest.Simulator.GroundTruth;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>One message a device sends: payload, the reading it carries (null when malformed) and the fault it embodies.</summary>
internal sealed class OutgoingMessage(SimulatedDevice device, byte[] payload, ReadingRecord? reading, long timestampMs, InjectionKind? injection, string? detail = null)
{
    public SimulatedDevice Device => device;

    public byte[] Payload => payload;

    public ReadingRecord? Reading => reading;

    public long TimestampMs => timestampMs;

    /// <summary>The injected fault, if any; a buffered message becomes <see cref="InjectionKind.OfflineBatch"/> when flushed.</summary>
    public InjectionKind? Injection { get; set; } = injection;

    public string? Detail => detail;

    /// <summary>For late messages: the earliest time (epoch µs) it may be sent.</summary>
    public long ReleaseUs { get; init; }
}
