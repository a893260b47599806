using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Windows;

/// <summary>
/// What windows a reading belongs to. Tumbling and hopping windows are aligned to the Unix epoch: a window starts
/// at a multiple of the slide (the size for tumbling), so every key and every instance agrees on the boundaries.
/// A window covers event times <c>[Start, End)</c>.
/// </summary>
public sealed record WindowSpec
{
    /// <summary>The most windows one reading may belong to (size / slide for hopping windows).</summary>
    public const int MaxWindowsPerReading = 1000;

    private WindowSpec(WindowKind kind, long sizeNs, long slideNs, long gapNs)
    {
        Kind = kind;
        SizeNs = sizeNs;
        SlideNs = slideNs;
        GapNs = gapNs;
    }

    /// <summary>The window shape.</summary>
    public WindowKind Kind { get; }

    /// <summary>Window length in ns (0 for sessions).</summary>
    public long SizeNs { get; }

    /// <summary>Distance between window starts in ns (equal to the size for tumbling, 0 for sessions).</summary>
    public long SlideNs { get; }

    /// <summary>Session gap in ns (0 for tumbling and hopping).</summary>
    public long GapNs { get; }

    /// <summary>Non-overlapping windows of <paramref name="size"/>.</summary>
    public static WindowSpec Tumbling(TimeSpan size)
    {
        var ns = Positive(size, nameof(size));
        return new WindowSpec(WindowKind.Tumbling, ns, ns, 0);
    }

    /// <summary>Windows of <paramref name="size"/> starting every <paramref name="slide"/> (slide ≤ size, size/slide ≤ 1000).</summary>
    public static WindowSpec Hopping(TimeSpan size, TimeSpan slide)
    {
        var sizeNs = Positive(size, nameof(size));
        var slideNs = Positive(slide, nameof(slide));
        if (slideNs > sizeNs)
        {
            throw new ArgumentOutOfRangeException(nameof(slide), slide, "The slide must not exceed the window size.");
        }

        if ((sizeNs + slideNs - 1) / slideNs > MaxWindowsPerReading)
        {
            throw new ArgumentOutOfRangeException(nameof(slide), slide, $"size / slide must not exceed {MaxWindowsPerReading}.");
        }

        return new WindowSpec(WindowKind.Hopping, sizeNs, slideNs, 0);
    }

    /// <summary>Sessions that end after <paramref name="gap"/> without a reading for the key.</summary>
    public static WindowSpec Session(TimeSpan gap) => new(WindowKind.Session, 0, 0, Positive(gap, nameof(gap)));

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        WindowKind.Tumbling => $"tumbling {TimeSpan.FromTicks(SizeNs / UnixTime.NanosPerTick)}",
        WindowKind.Hopping => $"hopping {TimeSpan.FromTicks(SizeNs / UnixTime.NanosPerTick)} every {TimeSpan.FromTicks(SlideNs / UnixTime.NanosPerTick)}",
        _ => $"session gap {TimeSpan.FromTicks(GapNs / UnixTime.NanosPerTick)}",
    };

    private static long Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }

        return UnixTime.ToNanos(value);
    }
}
