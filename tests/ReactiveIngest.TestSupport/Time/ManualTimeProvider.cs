namespace ReactiveIngest.TestSupport.Time;

/// <summary>
/// A clock that moves only when a test says so. Wall time and the monotonic timestamp move together
/// (timestamps are .NET ticks). Thread-safe reads, so stages on other threads can use it.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private long _utcTicks;

    /// <summary>Starts at <paramref name="start"/> (default 2024-01-01T00:00:00Z).</summary>
    public ManualTimeProvider(DateTimeOffset? start = null) =>
        _utcTicks = (start ?? new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero)).UtcTicks;

    /// <inheritdoc />
    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _utcTicks), TimeSpan.Zero);

    /// <inheritdoc />
    public override long GetTimestamp() => Interlocked.Read(ref _utcTicks);

    /// <summary>Moves the clock forward by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        Interlocked.Add(ref _utcTicks, by.Ticks);
    }
}
