using System.Globalization;
using System.Text;
using System.Text.Json;
using ReactiveIngest.Simulator.GroundTruth;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Reads back what the service stored in InfluxDB 1.x (<c>/query</c>, InfluxQL, chunked answers): raw points
/// (measurement = metric, tag deviceId, field value) counted and aggregated per 10 s window by InfluxDB itself, and
/// the service's window aggregates (measurement <c>window_10s</c>, tags deviceId and metric, fields count/sum/min/max).
/// </summary>
public sealed class InfluxReader(Uri baseAddress, string database, HttpClient? http = null)
{
    private readonly HttpClient _http = http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(2) };

    /// <summary>All raw points of <paramref name="metrics"/>, in any time range.</summary>
    public async Task<long> CountRawAsync(IReadOnlyCollection<string> metrics, CancellationToken cancellationToken = default)
    {
        if (metrics.Count == 0)
        {
            return 0;
        }

        long total = 0;
        await foreach (var (_, _, columns, row) in QueryAsync($"SELECT count(\"value\") FROM {From(metrics)}", cancellationToken))
        {
            total += (long)Number(row[Array.IndexOf(columns, "count")]);
        }

        return total;
    }

    /// <summary>Count/sum/min/max of raw points per (device, metric, 10 s window) within [fromMs, toMs).</summary>
    public async Task<Dictionary<WindowKey, WindowStats>> RawWindowsAsync(IReadOnlyCollection<string> metrics, long fromMs, long toMs, CancellationToken cancellationToken = default)
    {
        var cells = new Dictionary<WindowKey, WindowStats>();
        if (metrics.Count == 0)
        {
            return cells;
        }

        var query = string.Create(
            CultureInfo.InvariantCulture,
            $"SELECT count(\"value\"),sum(\"value\"),min(\"value\"),max(\"value\") FROM {From(metrics)} WHERE time >= {fromMs}ms AND time < {toMs}ms GROUP BY time({GroundTruthRecorder.WindowMs}ms),\"deviceId\" fill(none)");
        await foreach (var (name, tags, columns, row) in QueryAsync(query, cancellationToken))
        {
            Add(cells, new WindowKey(tags.GetValueOrDefault("deviceId", string.Empty), name, (long)Number(row[0])), columns, row);
        }

        return cells;
    }

    /// <summary>
    /// The stored window aggregates of <paramref name="measurement"/> per (device, metric, window start). A row whose
    /// count, sum, min or max is still null is left out: InfluxDB makes a point's fields visible one by one while it
    /// applies a write, so such a row is not stored yet (counting it, or reading its nulls as 0, would report a
    /// mismatch that is only a write in progress).
    /// </summary>
    public async Task<Dictionary<WindowKey, WindowStats>> AggregatesAsync(string measurement, CancellationToken cancellationToken = default)
    {
        var cells = new Dictionary<WindowKey, WindowStats>();
        await foreach (var (_, tags, columns, row) in QueryAsync($"SELECT \"count\",\"sum\",\"min\",\"max\" FROM {Quote(measurement)} GROUP BY \"deviceId\",\"metric\"", cancellationToken))
        {
            Add(cells, new WindowKey(tags.GetValueOrDefault("deviceId", string.Empty), tags.GetValueOrDefault("metric", string.Empty), (long)Number(row[0])), columns, row);
        }

        return cells;
    }

    private static void Add(Dictionary<WindowKey, WindowStats> cells, WindowKey key, string[] columns, JsonElement[] row)
    {
        ReadOnlySpan<string> fields = ["count", "sum", "min", "max"];
        foreach (var field in fields)
        {
            if (row[Array.IndexOf(columns, field)].ValueKind != JsonValueKind.Number)
            {
                return; // not (completely) visible yet, or no value in this window
            }
        }

        var count = (long)Number(row[Array.IndexOf(columns, "count")]);
        if (count == 0)
        {
            return;
        }

        cells[key] = new WindowStats(count, Number(row[Array.IndexOf(columns, "sum")]), Number(row[Array.IndexOf(columns, "min")]), Number(row[Array.IndexOf(columns, "max")]));
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : 0;

    private static string From(IEnumerable<string> metrics) => string.Join(',', metrics.Select(Quote));

    private static string Quote(string identifier) => "\"" + identifier.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    private async IAsyncEnumerable<(string Name, Dictionary<string, string> Tags, string[] Columns, JsonElement[] Row)> QueryAsync(
        string influxQl, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl, ["db"] = database, ["epoch"] = "ms", ["chunked"] = "true", ["chunk_size"] = "10000" };
        using var content = new FormUrlEncodedContent(form);
        using var response = await _http.PostAsync(new Uri(baseAddress, "query"), content, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"InfluxDB answered {(int)response.StatusCode} to `{influxQl}`: {Encoding.UTF8.GetString(body)}");
        }

        foreach (var item in Parse(body, influxQl))
        {
            yield return item;
        }
    }

    private static List<(string, Dictionary<string, string>, string[], JsonElement[])> Parse(byte[] body, string influxQl)
    {
        var rows = new List<(string, Dictionary<string, string>, string[], JsonElement[])>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { AllowMultipleValues = true });
        while (reader.Read())
        {
            using var chunk = JsonDocument.ParseValue(ref reader);
            foreach (var result in chunk.RootElement.GetProperty("results").EnumerateArray())
            {
                if (result.TryGetProperty("error", out var error))
                {
                    throw new HttpRequestException($"InfluxDB error for `{influxQl}`: {error.GetString()}");
                }

                if (!result.TryGetProperty("series", out var series))
                {
                    continue;
                }

                foreach (var s in series.EnumerateArray())
                {
                    var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                    var tags = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (s.TryGetProperty("tags", out var t))
                    {
                        foreach (var tag in t.EnumerateObject())
                        {
                            tags[tag.Name] = tag.Value.GetString() ?? string.Empty;
                        }
                    }

                    var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray();
                    foreach (var value in s.GetProperty("values").EnumerateArray())
                    {
                        rows.Add((name, tags, columns, value.EnumerateArray().Select(v => v.Clone()).ToArray()));
                    }
                }
            }
        }

        return rows;
    }
}
