namespace ReactiveIngest.Simulator.Rate;

/// <summary>A slot the controller handed out: which device sends which reading, when it meant to, and how late it is.</summary>
/// <param name="Device">The device's index within the controller.</param>
/// <param name="Sequence">The device's reading number (0, 1, 2, …; skipped slots consume numbers too).</param>
/// <param name="IntendedUs">When the send was meant to start, epoch µs.</param>
/// <param name="LagUs">How late the slot was taken.</param>
/// <param name="Missed">True when the lag exceeded the tolerance.</param>
public readonly record struct DueSlot(int Device, long Sequence, long IntendedUs, long LagUs, bool Missed);
