using ReactiveIngest.Core.Watermarks;

namespace ReactiveIngest.Core.Windows;

/// <summary>Configuration of a <see cref="WindowEngine"/>.</summary>
public sealed record WindowOptions
{
    /// <summary>Creates options for <paramref name="spec"/>.</summary>
    public WindowOptions(WindowSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Spec = spec;
    }

    /// <summary>The window shape.</summary>
    public WindowSpec Spec { get; init; }

    /// <summary>
    /// Tag keys that, with device and metric, identify a series (window key). Other tags are ignored for keying
    /// and are not part of the result. Empty by default: key = device + metric.
    /// </summary>
    public IReadOnlyList<string> KeyTags { get; init; } = [];

    /// <summary>
    /// How long after a window fired late readings still update it (and re-emit it). Readings for windows whose
    /// end plus this is at or below the watermark go to the late output. Default zero.
    /// </summary>
    public TimeSpan AllowedLateness { get; init; } = TimeSpan.Zero;

    /// <summary>Watermark derivation.</summary>
    public WatermarkOptions Watermarks { get; init; } = new();

    /// <summary>
    /// The most windows held at once (open or kept for allowed lateness). Keys (series) are removed when they have
    /// no window, so this also bounds keys. When a new window would exceed it, the engine closes the window that is
    /// closest to its end early: it is emitted with <see cref="EmissionKind.Evicted"/> and readings for it
    /// or any window ending no later afterwards go to the late output. Counted in <see cref="WindowCounters.EvictedWindows"/>.
    /// Default 1,000,000.
    /// </summary>
    public int MaxOpenWindows { get; init; } = 1_000_000;

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (AllowedLateness < TimeSpan.Zero)
        {
            errors.Add($"{nameof(AllowedLateness)} must not be negative (was {AllowedLateness}).");
        }

        if (MaxOpenWindows < 1)
        {
            errors.Add($"{nameof(MaxOpenWindows)} must be at least 1 (was {MaxOpenWindows}).");
        }

        if (KeyTags is null || KeyTags.Any(string.IsNullOrEmpty))
        {
            errors.Add($"{nameof(KeyTags)} must not be null or contain empty keys.");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors));
        }

        Watermarks.Validate();
    }
}
