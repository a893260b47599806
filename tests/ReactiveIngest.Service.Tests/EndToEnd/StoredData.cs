using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>
/// Reads back what the pipeline stored in influxd: raw counts and sums, and the 10 s window rows. Every read waits
/// (bounded, see <see cref="StoredRows.WaitForAsync"/>) until the rows are complete: no null field, and the counts the
/// test expects, since a query that overlaps a write can see a point's fields one at a time and a batch in parts.
/// </summary>
internal static class StoredData
{
    private const string WindowQuery = "SELECT \"count\", \"sum\", \"min\", \"max\", \"mean\" FROM \"window_10s\" GROUP BY \"deviceId\", \"metric\"";

    /// <summary>Count and sum of raw points per (device, metric), once each series holds exactly the expected count.</summary>
    public static async Task<Dictionary<(string Device, string Metric), (long Count, double Sum)>> RawAsync(
        InfluxServer server, string db, IEnumerable<string> metrics, IReadOnlyDictionary<(string Device, string Metric), long> expectedCounts)
    {
        var from = string.Join(",", metrics.Select(m => $"\"{m}\""));
        var rows = await server.WaitForAsync(db, $"SELECT count(\"value\") AS \"count\", sum(\"value\") AS \"sum\" FROM {from} GROUP BY \"deviceId\"", "raw points",
            found => StoredRows.CountMismatches(Raw(found).ToDictionary(r => r.Key, r => r.Value.Count), expectedCounts, "raw series"));
        return Raw(rows);
    }

    /// <summary>The stored 10 s windows per (device, metric, start in ms), once exactly the expected windows are stored with the expected counts.</summary>
    public static Task<Dictionary<(string Device, string Metric, long StartMs), (long Count, double Sum, double Min, double Max, double Mean)>> WindowsAsync(
        InfluxServer server, string db, IReadOnlyDictionary<(string Device, string Metric, long StartMs), long> expectedCounts, bool allowUnexpected = false) =>
        WindowsAsync(server, db, "the 10 s windows", found => StoredRows.CountMismatches(found.ToDictionary(w => w.Key, w => w.Value.Count), expectedCounts, "windows", allowUnexpected));

    /// <summary>The stored 10 s windows, once every row is complete and <paramref name="incomplete"/> returns null (it names what is missing otherwise).</summary>
    public static async Task<Dictionary<(string Device, string Metric, long StartMs), (long Count, double Sum, double Min, double Max, double Mean)>> WindowsAsync(
        InfluxServer server, string db, string what,
        Func<IReadOnlyDictionary<(string Device, string Metric, long StartMs), (long Count, double Sum, double Min, double Max, double Mean)>, string?> incomplete)
    {
        var rows = await server.WaitForAsync(db, WindowQuery, what, found => incomplete(Windows(found)));
        return Windows(rows);
    }

    private static Dictionary<(string, string), (long Count, double Sum)> Raw(IReadOnlyList<StoredRow> rows) =>
        rows.ToDictionary(r => (r.Tag("deviceId"), r.Series), r => (r.Long("count"), r.Double("sum")));

    private static Dictionary<(string, string, long), (long Count, double Sum, double Min, double Max, double Mean)> Windows(IReadOnlyList<StoredRow> rows) =>
        rows.ToDictionary(r => (r.Tag("deviceId"), r.Tag("metric"), r.TimeMs), r => (r.Long("count"), r.Double("sum"), r.Double("min"), r.Double("max"), r.Double("mean")));
}
