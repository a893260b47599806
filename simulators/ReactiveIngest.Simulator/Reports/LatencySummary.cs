namespace ReactiveIngest.Simulator.Reports;

/// <summary>Latency percentiles in milliseconds, measured from each send's intended time.</summary>
public sealed record LatencySummary(double P50, double P90, double P99, double P999, double Max);
