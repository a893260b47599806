namespace ReactiveIngest.Simulator.Rate;

/// <summary>Epoch-microsecond time from a <see cref="TimeProvider"/>.</summary>
public static class Clock
{
    /// <summary>Now, in µs since the Unix epoch.</summary>
    public static long NowUs(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return (time.GetUtcNow().UtcTicks - DateTime.UnixEpoch.Ticks) / 10;
    }
}
