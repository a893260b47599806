using System.Net;
using System.Text;
using System.Text.Json;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.IntegrationTests.Smoke;

/// <summary>The real influxd from the fixture stores points written over HTTP and returns them to queries.</summary>
public sealed class InfluxSmokeSpec(InfluxFixture influx, ITestOutputHelper output) : IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Points_written_to_influxd_should_be_queried_back_with_their_values()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("smoke");
        var body = new StringBuilder();
        const long start = 1_700_000_000_000_000_000L;
        for (var i = 0; i < 100; i++)
        {
            body.Append(System.Globalization.CultureInfo.InvariantCulture, $"temperature,deviceId=d{i % 4} value={i}.5 {start + (i * 1_000_000_000L)}\n");
        }

        using var http = new HttpClient { BaseAddress = influx.Server.BaseAddress };
        using var content = new StringContent(body.ToString(), Encoding.UTF8, "text/plain");
        using var write = await http.PostAsync(new Uri($"write?db={db}&precision=ns", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);

        var json = await influx.Server.QueryAsync("SELECT count(value), sum(value) FROM temperature GROUP BY deviceId", db);
        using var doc = JsonDocument.Parse(json);
        var series = doc.RootElement.GetProperty("results")[0].GetProperty("series").EnumerateArray().ToList();
        Assert.Equal(4, series.Count);
        foreach (var s in series)
        {
            var device = s.GetProperty("tags").GetProperty("deviceId").GetString()!;
            var index = int.Parse(device[1..], System.Globalization.CultureInfo.InvariantCulture);
            var row = s.GetProperty("values")[0];
            Assert.Equal(25, row[1].GetInt64());
            var expectedSum = Enumerable.Range(0, 100).Where(i => i % 4 == index).Sum(i => i + 0.5);
            Assert.Equal(expectedSum, row[2].GetDouble(), 6);
        }
    }

    [Fact]
    public async Task Influxd_should_keep_its_data_across_a_restart()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("restart");
        using (var http = new HttpClient { BaseAddress = influx.Server.BaseAddress })
        using (var content = new StringContent("m,deviceId=d1 value=1 1700000000000000000\n", Encoding.UTF8, "text/plain"))
        using (var write = await http.PostAsync(new Uri($"write?db={db}", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        }

        await influx.Server.RestartAsync();
        var json = await influx.Server.QueryAsync("SELECT count(value) FROM m", db);
        using var doc = JsonDocument.Parse(json);
        Assert.Equal(1, doc.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64());
    }
}
