namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>One aggregate cell as written to JSON.</summary>
public sealed record WindowRecord(string DeviceId, string Metric, long WindowStartMs, long Count, double Sum, double Min, double Max);
