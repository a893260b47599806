using ReactiveIngest.TestSupport.Journal;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Analytics;

/// <summary>
/// The host in-process with configured transforms, storing into a real influxd: the derived metrics must be stored as
/// raw points with the values an independent computation gives, and must be aggregated in the windows like any metric.
/// </summary>
public sealed class TransformPipelineSpec(InfluxFixture influx, ITestOutputHelper output) : IClassFixture<InfluxFixture>
{
    private const int Seconds = 30;
    private const double EwmaTauSeconds = 5;
    private const double DeadbandThreshold = 1.5;
    private const int AverageCount = 4;

    private static double ValueOf(int device, int second) => 20 + (device * 3) + ((second * 7 % 5) * 0.8) + (second % 3 == 0 ? 2.5 : 0);

    [Fact]
    public async Task Configured_transforms_should_store_derived_metrics_with_the_independently_computed_values_and_window_them()
    {
        using var influxLog = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("transforms");
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        var settings = new Dictionary<string, string>
        {
            ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
            ["ReactiveIngest:Influx:Database"] = db,
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
            ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
            ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:10",
            ["ReactiveIngest:Pipeline:OutOfOrderness"] = "00:00:00",
            ["ReactiveIngest:Transforms:0:Metric"] = "temperature",
            ["ReactiveIngest:Transforms:0:Type"] = "Ewma",
            ["ReactiveIngest:Transforms:0:TimeConstant"] = "00:00:05",
            ["ReactiveIngest:Transforms:0:Output"] = "temperature_ewma",
            ["ReactiveIngest:Transforms:1:Metric"] = "temperature",
            ["ReactiveIngest:Transforms:1:Devices:0"] = "t1",
            ["ReactiveIngest:Transforms:1:Type"] = "movingaverage",
            ["ReactiveIngest:Transforms:1:Count"] = AverageCount.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Transforms:1:Output"] = "temperature_avg4",
            ["ReactiveIngest:Transforms:2:Metric"] = "temperature",
            ["ReactiveIngest:Transforms:2:Type"] = "RateOfChange",
            ["ReactiveIngest:Transforms:2:Output"] = "temperature_rate",
            ["ReactiveIngest:Transforms:3:Metric"] = "temperature",
            ["ReactiveIngest:Transforms:3:Type"] = "Deadband",
            ["ReactiveIngest:Transforms:3:Threshold"] = DeadbandThreshold.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Transforms:3:Output"] = "temperature_db",
        };
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }
        });
        using var http = host.CreateClient();

        // One request carrying both devices in event-time order per device: one batch, so the windows close on the
        // watermark alone (out-of-orderness 0) and no reading can be late.
        var body = new StringBuilder("[");
        for (var device = 1; device <= 2; device++)
        {
            for (var s = 0; s < Seconds; s++)
            {
                body.Append(CultureInfo.InvariantCulture, $$"""{"deviceId":"t{{device}}","ts":{{baseMs + (s * 1000L)}},"temperature":{{ValueOf(device, s).ToString("R", CultureInfo.InvariantCulture)}}},""");
            }
        }

        body[^1] = ']';
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "application/json");
        var response = await http.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        for (var device = 1; device <= 2; device++)
        {
            var values = Enumerable.Range(0, Seconds).Select(s => ValueOf(device, s)).ToArray();
            var expected = new Dictionary<string, List<(long Ms, double Value)>>
            {
                ["temperature_ewma"] = Ewma(values, baseMs),
                ["temperature_rate"] = Rate(values, baseMs),
                ["temperature_db"] = Deadband(values, baseMs),
            };
            if (device == 1)
            {
                expected["temperature_avg4"] = MovingAverage(values, baseMs);
            }

            foreach (var (metric, points) in expected)
            {
                var stored = await EventuallyRawAsync(db, metric, $"t{device}", points.Count);
                Assert.Equal(points.Select(p => p.Ms), stored.Select(p => p.Ms));
                for (var i = 0; i < points.Count; i++)
                {
                    Assert.True(Math.Abs(points[i].Value - stored[i].Value) <= 1e-9 * Math.Max(1, Math.Abs(points[i].Value)),
                        $"{metric} of t{device} at {points[i].Ms}: expected {points[i].Value}, stored {stored[i].Value}");
                }

                // The first two 10 s windows are closed (the watermark is at second 29); each must aggregate the
                // derived readings of its 10 seconds.
                for (var w = 0; w < 2; w++)
                {
                    var start = baseMs + (w * 10_000L);
                    var inWindow = points.Where(p => p.Ms >= start && p.Ms < start + 10_000).Select(p => p.Value).ToList();
                    var window = await EventuallyWindowAsync(db, metric, $"t{device}", start, inWindow.Count);
                    Assert.Equal(inWindow.Count, window.Count);
                    Assert.Equal(inWindow.Sum(), window.Sum, 9);
                    Assert.Equal(inWindow.Min(), window.Min, 9);
                    Assert.Equal(inWindow.Max(), window.Max, 9);
                }
            }
        }

        // The moving average is configured for t1 only. t2's other derived points came in the same batch and are
        // stored by now, so a t2 moving average would be too.
        using var t2Average = JsonDocument.Parse(await influx.Server.QueryAsync("SELECT count(\"value\") FROM \"temperature_avg4\" WHERE \"deviceId\" = 't2'", db));
        Assert.Empty(Rows(t2Average));
    }

    private static List<(long, double)> Ewma(double[] values, long baseMs)
    {
        var result = new List<(long, double)>();
        var smoothed = values[0];
        for (var s = 0; s < values.Length; s++)
        {
            if (s > 0)
            {
                smoothed += (1 - Math.Exp(-1 / EwmaTauSeconds)) * (values[s] - smoothed);
            }

            result.Add((baseMs + (s * 1000L), smoothed));
        }

        return result;
    }

    private static List<(long, double)> Rate(double[] values, long baseMs) =>
        [.. Enumerable.Range(1, values.Length - 1).Select(s => (baseMs + (s * 1000L), values[s] - values[s - 1]))];

    private static List<(long, double)> Deadband(double[] values, long baseMs)
    {
        var result = new List<(long, double)> { (baseMs, values[0]) };
        var last = values[0];
        for (var s = 1; s < values.Length; s++)
        {
            if (Math.Abs(values[s] - last) > DeadbandThreshold)
            {
                last = values[s];
                result.Add((baseMs + (s * 1000L), last));
            }
        }

        return result;
    }

    private static List<(long, double)> MovingAverage(double[] values, long baseMs) =>
        [.. Enumerable.Range(0, values.Length).Select(s => (baseMs + (s * 1000L), values.Skip(Math.Max(0, s - AverageCount + 1)).Take(Math.Min(s + 1, AverageCount)).Average()))];

    private async Task<List<(long Ms, double Value)>> EventuallyRawAsync(string db, string metric, string device, int count)
    {
        var rows = await influx.Server.WaitForAsync(db, $"SELECT \"value\" FROM \"{metric}\" WHERE \"deviceId\" = '{device}'", $"{metric} of {device}",
            found => found.Count >= count ? null : $"{found.Count} of {count} raw points stored", TimeSpan.FromSeconds(60));
        return [.. rows.Select(r => (r.TimeMs, r.Double("value")))];
    }

    private async Task<(long Count, double Sum, double Min, double Max)> EventuallyWindowAsync(string db, string metric, string device, long startMs, int count)
    {
        var rows = await influx.Server.WaitForAsync(
            db,
            $"SELECT \"count\", \"sum\", \"min\", \"max\" FROM \"window_10s\" WHERE \"deviceId\" = '{device}' AND \"metric\" = '{metric}' AND time = {startMs}ms",
            $"the 10 s window of {metric}/{device} at {startMs}",
            found => found.Count == 0 ? "no row" : found[0].Long("count") != count ? $"count {found[0].Long("count")} of {count}" : null,
            TimeSpan.FromSeconds(60));
        var row = Assert.Single(rows);
        return (row.Long("count"), row.Double("sum"), row.Double("min"), row.Double("max"));
    }

    private static IEnumerable<JsonElement> Rows(JsonDocument doc) =>
        doc.RootElement.GetProperty("results")[0].TryGetProperty("series", out var series)
            ? series.EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray())
            : [];
}
