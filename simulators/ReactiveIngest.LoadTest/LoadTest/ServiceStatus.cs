namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>The part of the service's <c>/api/status</c> the load test reads.</summary>
/// <param name="Received">Readings received from all sources.</param>
/// <param name="DeadLetters">Messages and readings sent to the dead-letter output.</param>
/// <param name="PointsWritten">Raw points written.</param>
/// <param name="LateReadings">Readings that arrived after their window's allowed lateness (the late side output).</param>
public sealed record ServiceStatus(long Received, long DeadLetters, long PointsWritten, long LateReadings = 0);
