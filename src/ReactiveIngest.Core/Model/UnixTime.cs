namespace ReactiveIngest.Core.Model;

/// <summary>Conversions between nanoseconds since the Unix epoch and .NET time types.</summary>
public static class UnixTime
{
    /// <summary>Nanoseconds in one millisecond.</summary>
    public const long NanosPerMillisecond = 1_000_000L;

    /// <summary>Nanoseconds in one second.</summary>
    public const long NanosPerSecond = 1_000_000_000L;

    /// <summary>Nanoseconds in one .NET tick (100 ns).</summary>
    public const long NanosPerTick = 100L;

    /// <summary>Converts epoch nanoseconds to a UTC <see cref="DateTimeOffset"/>, truncating to 100 ns.</summary>
    public static DateTimeOffset ToDateTimeOffset(long unixNanos) =>
        new(DateTime.UnixEpoch.Ticks + (unixNanos / NanosPerTick), TimeSpan.Zero);

    /// <summary>Converts a <see cref="DateTimeOffset"/> to epoch nanoseconds.</summary>
    public static long FromDateTimeOffset(DateTimeOffset value) =>
        (value.UtcTicks - DateTime.UnixEpoch.Ticks) * NanosPerTick;

    /// <summary>The current time in epoch nanoseconds from <paramref name="timeProvider"/>.</summary>
    public static long Now(TimeProvider? timeProvider = null) =>
        FromDateTimeOffset((timeProvider ?? TimeProvider.System).GetUtcNow());

    /// <summary>A duration in nanoseconds.</summary>
    public static long ToNanos(TimeSpan duration) => duration.Ticks * NanosPerTick;
}
