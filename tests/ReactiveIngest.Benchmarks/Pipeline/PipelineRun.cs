using System.Globalization;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>What one run of the pipeline workload measured.</summary>
public sealed record PipelineRun(
    long Readings,
    long WindowedReadings,
    long LateReadings,
    long DeadLetters,
    long WindowResults,
    long AcknowledgedMessages,
    long Messages,
    TimeSpan Elapsed,
    TimeSpan Cpu,
    int Gen0Collections = 0,
    TimeSpan GcPause = default)
{
    /// <summary>Readings per wall-clock second.</summary>
    public double ReadingsPerSecond => Readings / Elapsed.TotalSeconds;

    /// <summary>Readings per CPU-second (all threads of the process).</summary>
    public double ReadingsPerCpuSecond => Readings / Cpu.TotalSeconds;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Readings:N0} readings in {Elapsed.TotalSeconds:F2} s wall / {Cpu.TotalSeconds:F2} s CPU: {ReadingsPerSecond:N0} readings/s, {ReadingsPerCpuSecond:N0} readings/CPU-s; windows {WindowResults:N0} holding {WindowedReadings:N0} readings, late {LateReadings:N0}, dead letters {DeadLetters:N0}, acked {AcknowledgedMessages:N0}/{Messages:N0} messages; {Gen0Collections} gen0 GCs pausing {GcPause.TotalSeconds:F2} s");
}
