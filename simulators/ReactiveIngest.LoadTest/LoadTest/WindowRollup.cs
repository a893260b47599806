using ReactiveIngest.Simulator.GroundTruth;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Turns the ground truth's 10 s cells into the cells of a longer epoch-aligned tumbling window (count and sum add,
/// min and max combine), keeping only the windows that ended by a given moment: a window still open when the run is
/// verified has no final aggregate to compare yet.
/// </summary>
public static class WindowRollup
{
    /// <summary>The windows of <paramref name="sizeMs"/> built from <paramref name="cells"/>, those ending at or before <paramref name="endedByMs"/>.</summary>
    public static Dictionary<WindowKey, WindowStats> Roll(IReadOnlyDictionary<WindowKey, WindowStats> cells, long sizeMs, long endedByMs)
    {
        ArgumentNullException.ThrowIfNull(cells);
        ArgumentOutOfRangeException.ThrowIfLessThan(sizeMs, GroundTruthRecorder.WindowMs);
        if (sizeMs % GroundTruthRecorder.WindowMs != 0)
        {
            throw new ArgumentException($"The window size must be a multiple of {GroundTruthRecorder.WindowMs} ms (was {sizeMs}).", nameof(sizeMs));
        }

        var windows = new Dictionary<WindowKey, WindowStats>();
        foreach (var (cell, stats) in cells)
        {
            var start = cell.WindowStartMs - (((cell.WindowStartMs % sizeMs) + sizeMs) % sizeMs);
            if (start + sizeMs > endedByMs)
            {
                continue;
            }

            var key = cell with { WindowStartMs = start };
            windows[key] = windows.TryGetValue(key, out var sum) ? sum.Merge(stats) : stats;
        }

        return windows;
    }
}
