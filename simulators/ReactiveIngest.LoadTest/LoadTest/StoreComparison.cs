using System.Globalization;
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
/// differs (<see cref="WindowStats.Matches"/>), plus stored aggregates of windows the truth does not have. The
/// windows checked are the truth's cells, or <c>expectedAggregates</c> when the verified window is longer than 10 s.
/// The first few are listed in <see cref="StoreVerdict.MismatchExamples"/> with expected and stored count/sum/min/max.</item>
/// </list>
/// </summary>
public static class StoreComparison
{
    /// <summary>Compares <paramref name="raw"/> (and, when given, <paramref name="aggregates"/>) with <paramref name="truth"/>.</summary>
    public static StoreVerdict Compare(
        IReadOnlyDictionary<WindowKey, WindowStats> truth,
        IReadOnlyDictionary<WindowKey, WindowStats> raw,
        IReadOnlyDictionary<WindowKey, WindowStats>? aggregates,
        int maxExamples = 10,
        IReadOnlyDictionary<WindowKey, WindowStats>? expectedAggregates = null)
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
                Note(examples, maxExamples, $"lost {want.Count - have} of {want.Count}: {Describe(key)}");
            }
            else if (have > want.Count)
            {
                duplicates += have - want.Count;
                Note(examples, maxExamples, $"{have - want.Count} extra: {Describe(key)}");
            }
        }

        foreach (var (key, have) in raw)
        {
            stored += have.Count;
            if (!truth.ContainsKey(key))
            {
                duplicates += have.Count;
                Note(examples, maxExamples, $"{have.Count} not sent: {Describe(key)}");
            }
        }

        long? checkedWindows = null, mismatches = null;
        var mismatchExamples = new List<string>();
        if (aggregates is not null)
        {
            var windows = expectedAggregates ?? truth;
            checkedWindows = 0;
            mismatches = 0;
            foreach (var (key, want) in windows)
            {
                checkedWindows++;
                if (!aggregates.TryGetValue(key, out var have))
                {
                    mismatches++;
                    Note(mismatchExamples, maxExamples, $"aggregate missing: {Describe(key)}: expected {Describe(want)}");
                }
                else if (!have.Matches(want))
                {
                    mismatches++;
                    Note(mismatchExamples, maxExamples, $"aggregate differs: {Describe(key)}: expected {Describe(want)}, stored {Describe(have)}");
                }
            }

            foreach (var (key, have) in aggregates)
            {
                if (!windows.ContainsKey(key))
                {
                    mismatches++;
                    Note(mismatchExamples, maxExamples, $"aggregate not expected: {Describe(key)}: stored {Describe(have)}");
                }
            }
        }

        return new StoreVerdict(expected, stored, lost, duplicates, checkedWindows, mismatches, examples, mismatchExamples);
    }

    /// <summary>A window for the log: <c>device/metric @ start (UTC)</c>.</summary>
    public static string Describe(WindowKey key) =>
        string.Create(CultureInfo.InvariantCulture, $"{key.DeviceId}/{key.Metric} @ {DateTimeOffset.FromUnixTimeMilliseconds(key.WindowStartMs):yyyy-MM-ddTHH:mm:ss.fffZ}");

    /// <summary>An aggregate for the log: <c>count N sum S min A max B</c>.</summary>
    public static string Describe(WindowStats stats) =>
        string.Create(CultureInfo.InvariantCulture, $"count {stats.Count} sum {stats.Sum:0.######} min {stats.Min:0.######} max {stats.Max:0.######}");

    private static void Note(List<string> examples, int max, string text)
    {
        if (examples.Count < max)
        {
            examples.Add(text);
        }
    }
}
