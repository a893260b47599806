namespace ReactiveIngest.Simulator.StackFaults;

/// <summary>
/// When to kill the service during a run: <c>kills</c> moments in the middle of the send phase (from 15 % to 85 % of
/// it), one in each of <c>kills</c> equal slots, at a seeded random point of the slot's middle half. Two kills are
/// therefore at least half a slot apart, so each restart has time to finish before the next kill, and the same seed
/// gives the same moments.
/// </summary>
public static class KillSchedule
{
    /// <summary>The offsets from the start of sending at which to kill, in ascending order.</summary>
    public static IReadOnlyList<TimeSpan> Plan(int kills, TimeSpan sendDuration, ulong seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(kills);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(sendDuration, TimeSpan.Zero);
        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        var from = sendDuration.TotalMilliseconds * 0.15;
        var slot = sendDuration.TotalMilliseconds * 0.70 / Math.Max(kills, 1);
        var offsets = new TimeSpan[kills];
        for (var i = 0; i < kills; i++)
        {
            offsets[i] = TimeSpan.FromMilliseconds(from + (i * slot) + (slot * (0.25 + (random.NextDouble() * 0.5))));
        }

        return offsets;
    }
}
