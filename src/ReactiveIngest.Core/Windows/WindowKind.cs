namespace ReactiveIngest.Core.Windows;

/// <summary>The shape of event-time windows.</summary>
public enum WindowKind
{
    /// <summary>Fixed-size, non-overlapping windows aligned to the epoch.</summary>
    Tumbling = 1,

    /// <summary>Fixed-size windows starting every slide, aligned to the epoch; a reading is in size/slide windows.</summary>
    Hopping = 2,

    /// <summary>Per-key windows of activity separated by a gap with no readings.</summary>
    Session = 3,
}
