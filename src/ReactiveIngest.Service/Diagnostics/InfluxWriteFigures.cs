namespace ReactiveIngest.Service.Diagnostics;

/// <summary>What <see cref="InfluxWriteMeterReader.TakeInterval"/> returns.</summary>
/// <param name="Writes">Write requests since start (any outcome).</param>
/// <param name="Retries">Write attempts retried since start.</param>
/// <param name="PointsWritten">Points InfluxDB accepted since start.</param>
/// <param name="PointsRejected">Points dead-lettered by the writer since start.</param>
/// <param name="IntervalWrites">Write requests since the previous call.</param>
/// <param name="MeanLatencySeconds">Their mean duration, or null when there were none.</param>
/// <param name="MaxLatencySeconds">Their longest duration, or null when there were none.</param>
public readonly record struct InfluxWriteFigures(
    long Writes,
    long Retries,
    long PointsWritten,
    long PointsRejected,
    long IntervalWrites,
    double? MeanLatencySeconds,
    double? MaxLatencySeconds);
