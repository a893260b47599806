namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>One aggregate cell: a device's metric in the tumbling window starting at <paramref name="WindowStartMs"/>.</summary>
public readonly record struct WindowKey(string DeviceId, string Metric, long WindowStartMs);
