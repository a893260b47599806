namespace ReactiveIngest.Core.Windows;

/// <summary>Running totals of a <see cref="WindowEngine"/> for metrics.</summary>
/// <param name="ReadingsAccepted">Readings folded into at least one window.</param>
/// <param name="ReadingsLate">Readings sent to the late output (beyond allowed lateness, or for an evicted window).</param>
/// <param name="WindowsEmitted">Window results emitted, of any kind.</param>
/// <param name="LateUpdates">Re-emissions caused by late readings within the allowed lateness.</param>
/// <param name="EvictedWindows">Windows closed early because the open-window limit was reached.</param>
/// <param name="OpenWindows">Windows held now.</param>
/// <param name="Keys">Series held now.</param>
/// <param name="ReadingsReplayedFinal">
/// Readings folded into no window because each of their windows was already final by the persisted progress of their
/// partition (a replay after a restart); not late, and not counted in <paramref name="ReadingsLate"/>.
/// </param>
public readonly record struct WindowCounters(
    long ReadingsAccepted,
    long ReadingsLate,
    long WindowsEmitted,
    long LateUpdates,
    long EvictedWindows,
    int OpenWindows,
    int Keys,
    long ReadingsReplayedFinal = 0);
