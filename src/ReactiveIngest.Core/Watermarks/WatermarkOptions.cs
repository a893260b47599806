namespace ReactiveIngest.Core.Watermarks;

/// <summary>How event-time progress is derived from the readings of each input partition.</summary>
public sealed record WatermarkOptions
{
    /// <summary>
    /// How far behind the newest event time of a partition readings may still arrive in order: the partition's
    /// watermark is its maximum event time minus this. Default 5 s.
    /// </summary>
    public TimeSpan OutOfOrderness { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A partition with no readings for longer than this (wall clock) stops holding the pipeline watermark back.
    /// Default 30 s.
    /// </summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// When every partition is idle, let the watermark keep moving with the wall clock from the newest event time
    /// seen (event time extrapolated by the wall time since the last reading), so the windows of a fleet that
    /// went quiet still close. Default true.
    /// </summary>
    public bool WallClockFallback { get; init; } = true;

    /// <summary>
    /// The most partitions tracked separately; further partition numbers share a slot (number modulo this).
    /// Default 1024.
    /// </summary>
    public int MaxPartitions { get; init; } = 1024;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (OutOfOrderness < TimeSpan.Zero)
        {
            errors.Add($"{nameof(OutOfOrderness)} must not be negative (was {OutOfOrderness}).");
        }

        if (IdleTimeout <= TimeSpan.Zero)
        {
            errors.Add($"{nameof(IdleTimeout)} must be positive (was {IdleTimeout}).");
        }

        if (MaxPartitions < 1)
        {
            errors.Add($"{nameof(MaxPartitions)} must be at least 1 (was {MaxPartitions}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }
    }
}
