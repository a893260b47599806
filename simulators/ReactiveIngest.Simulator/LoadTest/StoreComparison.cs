using ReactiveIngest.Simulator.GroundTruth;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Compares what storage holds with the ground truth, cell by cell (device, metric, 10 s window):
/// <list type="bullet">
/// <item><b>lost</b>: raw points the truth has and storage lacks (Σ max(0, expected − stored) per cell);</item>
/// <item><b>duplicates</b>: raw points storage holds beyond the truth (Σ max(0, stored − expected) per cell, cells
/// unknown to the truth included). InfluxDB overwrites a point with the same identity, so a redelivered or
/// injected duplicate is not counted; a copy stored under another timestamp or series is;</item>
/// <item><b>aggregate mismatches</b>: truth windows whose stored aggregate is missing or whose count, min, max or sum
/// differs (<see cref="WindowStats.Matches"/>), plus stored aggregates of windows the truth does not have.</item>
/// </list>
/// </summary>
public static class StoreComparison
{
    /// <summary>Compares <paramref name="raw"/> (and, when given, <paramref name="aggregates"/>) with <paramref name="truth"/>.</summary>
    public static StoreVerdict Compare(
        IReadOnlyDictionary<WindowKey, WindowStats> truth,
        IReadOnlyDictionary<WindowKey, WindowStats> raw,
        IReadOnlyDictionary<WindowKey, WindowStats>? aggregates,
        int maxExamples = 10)
    {
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(raw);
        long expected = 0, stored = 0, lost = 0, duplicates = 0;
        var examples = new List<string>();
        foreach (var (key, want) in truth)
        {
            expected += want.Count;
            var have = raw.TryGetValue(key, out var s) ? s.Count : 0;
            if (have < want.Count)
            {
                lost += want.Count - have;
                Note(examples, maxExamples, $"lost {want.Count - have} of {want.Count}: {key}");
            }
            else if (have > want.Count)
            {
                duplicates += have - want.Count;
                Note(examples, maxExamples, $"{have - want.Count} extra: {key}");
            }
        }

        foreach (var (key, have) in raw)
        {
            stored += have.Count;
            if (!truth.ContainsKey(key))
            {
                duplicates += have.Count;
                Note(examples, maxExamples, $"{have.Count} not sent: {key}");
            }
        }

        long? checkedWindows = null, mismatches = null;
        if (aggregates is not null)
        {
            checkedWindows = 0;
            mismatches = 0;
            foreach (var (key, want) in truth)
            {
                checkedWindows++;
                if (!aggregates.TryGetValue(key, out var have))
                {
                    mismatches++;
                    Note(examples, maxExamples, $"aggregate missing: {key}");
                }
                else if (!have.Matches(want))
                {
                    mismatches++;
                    Note(examples, maxExamples, $"aggregate differs: {key} stored {have} expected {want}");
                }
            }

            foreach (var key in aggregates.Keys)
            {
                if (!truth.ContainsKey(key))
                {
                    mismatches++;
                    Note(examples, maxExamples, $"aggregate not expected: {key}");
                }
            }
        }

        return new StoreVerdict(expected, stored, lost, duplicates, checkedWindows, mismatches, examples);
    }

    private static void Note(List<string> examples, int max, string text)
    {
        if (examples.Count < max)
        {
            examples.Add(text);
        }
    }
}
