using ReactiveIngest.Simulator.Servers;
using System.Text.Json;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Service.Tests.EndToEnd;

/// <summary>Reads back what the pipeline stored in influxd: raw counts and sums, and the 10 s window rows.</summary>
internal static class StoredData
{
    /// <summary>Count and sum of raw points per (device, metric).</summary>
    public static async Task<Dictionary<(string, string), (long Count, double Sum)>> RawAsync(InfluxServer server, string db, IEnumerable<string> metrics)
    {
        var result = new Dictionary<(string, string), (long, double)>();
        foreach (var metric in metrics)
        {
            using var doc = JsonDocument.Parse(await server.QueryAsync($"SELECT count(value), sum(value) FROM \"{metric}\" GROUP BY \"deviceId\"", db));
            foreach (var series in Series(doc))
            {
                var row = series.GetProperty("values")[0];
                result[(series.GetProperty("tags").GetProperty("deviceId").GetString()!, metric)] = (row[1].GetInt64(), row[2].GetDouble());
            }
        }

        return result;
    }

    /// <summary>Count, sum, min, max and mean of each stored 10 s window per (device, metric, start in ms).</summary>
    public static async Task<Dictionary<(string, string, long), (long Count, double Sum, double Min, double Max, double Mean)>> WindowsAsync(InfluxServer server, string db)
    {
        var result = new Dictionary<(string, string, long), (long, double, double, double, double)>();
        using var doc = JsonDocument.Parse(await server.QueryAsync("SELECT \"count\", \"sum\", \"min\", \"max\", \"mean\" FROM \"window_10s\" GROUP BY \"deviceId\", \"metric\"", db, CancellationToken.None, epoch: "ms"));
        foreach (var series in Series(doc))
        {
            var tags = series.GetProperty("tags");
            foreach (var row in series.GetProperty("values").EnumerateArray())
            {
                result[(tags.GetProperty("deviceId").GetString()!, tags.GetProperty("metric").GetString()!, row[0].GetInt64())] =
                    (row[1].GetInt64(), row[2].GetDouble(), row[3].GetDouble(), row[4].GetDouble(), row[5].GetDouble());
            }
        }

        return result;
    }

    private static IEnumerable<JsonElement> Series(JsonDocument doc) =>
        doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series) ? series.EnumerateArray() : [];
}
