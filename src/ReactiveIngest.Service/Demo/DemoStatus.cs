namespace ReactiveIngest.Service.Demo;

/// <summary>The totals one demo status line shows, read at one moment; two of them give the per-second figures.</summary>
/// <param name="At">When the totals were read.</param>
/// <param name="MessagesSent">MQTT messages the simulated fleet published (accepted by the embedded broker).</param>
/// <param name="MessagesTaken">Messages the pipeline took from its sources.</param>
/// <param name="Readings">Readings decoded from those messages (after de-duplication); a message carries several.</param>
/// <param name="AwaitingWindows">Messages taken and not yet acknowledged: their readings wait for windows to close and be stored.</param>
/// <param name="WindowResults">Window results emitted since start.</param>
/// <param name="LateReadings">Readings later than the allowed lateness, since start.</param>
/// <param name="DeadLetters">Dead letters since start.</param>
public sealed record DemoStatus(
    DateTimeOffset At,
    long MessagesSent,
    long MessagesTaken,
    long Readings,
    long AwaitingWindows,
    long WindowResults,
    long LateReadings,
    long DeadLetters);
