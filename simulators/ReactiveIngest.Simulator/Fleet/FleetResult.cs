using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Reports;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>The outcome of a fleet run.</summary>
/// <param name="Devices">Devices simulated.</param>
/// <param name="Connections">Connections used.</param>
/// <param name="TargetRatePerSec">Intended rate outside bursts (after the cap).</param>
/// <param name="ConnectSeconds">How long the connect phase took.</param>
/// <param name="SendSeconds">From the first intended slot until the last publish completed.</param>
/// <param name="SlotsTaken">Slots handed to devices.</param>
/// <param name="MissedSlots">Slots taken (or skipped) later than their tolerance.</param>
/// <param name="SkippedSlots">Missed slots not sent.</param>
/// <param name="Stats">Counters.</param>
/// <param name="Latency">Latency from intended time, or null when nothing was accepted.</param>
/// <param name="GroundTruth">What the broker accepted.</param>
public sealed record FleetResult(
    int Devices,
    int Connections,
    double TargetRatePerSec,
    double ConnectSeconds,
    double SendSeconds,
    long SlotsTaken,
    long MissedSlots,
    long SkippedSlots,
    FleetStats Stats,
    LatencySummary? Latency,
    GroundTruthSnapshot GroundTruth);
