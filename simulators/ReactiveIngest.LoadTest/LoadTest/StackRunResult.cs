using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.Reports;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>The outcome of one <see cref="StackRun"/>.</summary>
/// <param name="Fleet">What the fleet sent and the ground truth.</param>
/// <param name="Verdict">InfluxDB compared with the ground truth.</param>
/// <param name="RawPointsInInflux">Raw points of the sent metrics in the database.</param>
/// <param name="DeadLetters">Dead letters the service reported; null when its status could not be read.</param>
/// <param name="ServiceReceived">Readings the service received; null when its status could not be read.</param>
/// <param name="ServiceCpuSeconds">CPU time of the service process.</param>
/// <param name="ServicePeakRssMb">Peak resident memory of the service process.</param>
/// <param name="Database">The database used.</param>
/// <param name="Drain">How the wait for the pipeline to drain ended.</param>
/// <param name="LateReadings">Late readings the service counted, summed over its incarnations; null when its status could not be read.</param>
/// <param name="Crash">The service kills and restarts; null when none were asked for.</param>
/// <param name="Outage">The InfluxDB outage; null when none was asked for.</param>
public sealed record StackRunResult(
    FleetResult Fleet,
    StoreVerdict Verdict,
    long RawPointsInInflux,
    long? DeadLetters,
    long? ServiceReceived,
    double? ServiceCpuSeconds,
    double? ServicePeakRssMb,
    string Database,
    DrainOutcome Drain = DrainOutcome.Complete,
    long? LateReadings = null,
    CrashReport? Crash = null,
    OutageReport? Outage = null)
{
    /// <summary>Nothing lost and every aggregate right.</summary>
    public bool Lossless => Verdict.Lost == 0 && Verdict.AggregateMismatches is null or 0;
}
