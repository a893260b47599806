using ReactiveIngest.TestSupport.Journal;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Service.Live;
using Xunit;

namespace ReactiveIngest.Service.Tests.Api;

public sealed class AnalyticsApiSpec : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
    private readonly WebApplicationFactory<Program> _host = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New()));
    private HttpClient _client = null!;
    private LiveViewStore _store = null!;

    public Task InitializeAsync()
    {
        _client = _host.CreateClient();
        _store = _host.Services.GetRequiredService<LiveViewStore>();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    private static WindowResultView Result(string device, string metric, int window, double mean, bool final = true, string windowName = "10s") => new()
    {
        DeviceId = device,
        Metric = metric,
        Window = windowName,
        WindowStart = T0.AddSeconds(10 * window),
        WindowEnd = T0.AddSeconds((10 * window) + 10),
        Count = 10,
        Sum = mean * 10,
        Min = mean - 1,
        Max = mean + 1,
        Mean = mean,
        P95 = mean + 0.9,
        Final = final,
    };

    [Fact]
    public async Task Devices_should_list_every_device_with_its_last_seen_time_most_recent_first()
    {
        _store.RecordReadings([
            new Reading("d1", "temperature", UnixTime.FromDateTimeOffset(T0), 20),
            new Reading("d2", "temperature", UnixTime.FromDateTimeOffset(T0.AddSeconds(5)), 21),
            new Reading("d1", "humidity", UnixTime.FromDateTimeOffset(T0.AddSeconds(2)), 40),
        ]);
        var devices = await _client.GetFromJsonAsync<JsonElement>("/api/devices");
        Assert.Equal(["d2", "d1"], devices.EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()));
        Assert.Equal(T0.AddSeconds(2), devices[1].GetProperty("lastSeen").GetDateTimeOffset());
    }

    [Fact]
    public async Task Latest_should_return_the_newest_value_per_metric_by_event_time_and_404_for_unknown_devices()
    {
        _store.RecordReadings([
            new Reading("d1", "temperature", UnixTime.FromDateTimeOffset(T0.AddSeconds(10)), 22),
            new Reading("d1", "temperature", UnixTime.FromDateTimeOffset(T0), 20),
        ]);
        var latest = await _client.GetFromJsonAsync<JsonElement>("/api/devices/d1/latest");
        Assert.Equal(22, latest.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.Equal(HttpStatusCode.NotFound, (await _client.GetAsync(new Uri("/api/devices/nope/latest", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task Aggregates_should_return_the_windows_in_range_with_a_reemitted_window_replacing_the_first_result()
    {
        _store.RecordWindow(Result("d1", "temperature", 0, 20));
        _store.RecordWindow(Result("d1", "temperature", 1, 21));
        _store.RecordWindow(Result("d1", "temperature", 2, 22));
        _store.RecordWindow(Result("d1", "temperature", 1, 25)); // late update of window 1
        var from = Uri.EscapeDataString(T0.AddSeconds(10).ToString("O"));
        var to = Uri.EscapeDataString(T0.AddSeconds(30).ToString("O"));
        var rows = await _client.GetFromJsonAsync<JsonElement>($"/api/aggregates?device=d1&metric=temperature&window=10s&from={from}&to={to}");
        Assert.Equal([25.0, 22.0], rows.EnumerateArray().Select(r => r.GetProperty("mean").GetDouble()));
    }

    [Theory]
    [InlineData("/api/aggregates?metric=temperature", "device")]
    [InlineData("/api/aggregates?device=d1&metric=t&window=7m", "window")]
    [InlineData("/api/aggregates?device=d1&metric=t&from=yesterday", "from")]
    [InlineData("/api/top?metric=t&stat=median", "stat")]
    [InlineData("/api/top?metric=t&n=0", "n")]
    [InlineData("/api/top?stat=mean", "metric")]
    [InlineData("/api/devices?limit=0", "limit")]
    [InlineData("/api/series?window=7m", "window")]
    [InlineData("/api/series?limit=0", "limit")]
    public async Task Bad_parameters_should_get_400_with_a_problem_naming_the_parameter(string url, string parameter)
    {
        var response = await _client.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), $"no error for '{parameter}' in {problem}");
    }

    [Fact]
    public async Task Top_should_rank_devices_by_the_statistic_of_their_latest_final_window()
    {
        _store.RecordWindow(Result("d1", "temperature", 0, 30));
        _store.RecordWindow(Result("d1", "temperature", 1, 10));
        _store.RecordWindow(Result("d2", "temperature", 1, 20));
        _store.RecordWindow(Result("d3", "temperature", 1, 40, final: false)); // early result: not ranked
        _store.RecordWindow(Result("d4", "humidity", 1, 99));
        var top = await _client.GetFromJsonAsync<JsonElement>("/api/top?metric=temperature&window=10s&stat=max&n=5");
        Assert.Equal(["d2", "d1"], top.EnumerateArray().Select(e => e.GetProperty("deviceId").GetString()));
        Assert.Equal(21, top[0].GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task The_stream_should_send_window_results_that_match_the_filter_as_server_sent_events()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _client.GetAsync(new Uri("/api/stream?device=d2&window=10s", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal(": connected", await reader.ReadLineAsync(cts.Token));
        _store.RecordWindow(Result("d1", "temperature", 0, 1));
        _store.RecordWindow(Result("d2", "temperature", 0, 3, windowName: "1m")); // same device and metric, other window: not sent
        _store.RecordWindow(Result("d2", "temperature", 0, 2));
        var lines = new List<string>();
        while (lines.Count < 2)
        {
            var line = await reader.ReadLineAsync(cts.Token);
            if (!string.IsNullOrEmpty(line))
            {
                lines.Add(line);
            }
        }

        Assert.Equal("event: window", lines[0]);
        var data = JsonDocument.Parse(lines[1]["data: ".Length..]).RootElement;
        Assert.Equal("d2", data.GetProperty("deviceId").GetString());
        Assert.Equal(2, data.GetProperty("mean").GetDouble());
    }

    [Fact]
    public async Task Windows_should_list_the_configured_window_definitions()
    {
        var windows = await _client.GetFromJsonAsync<JsonElement>("/api/windows");
        var only = Assert.Single(windows.EnumerateArray());
        Assert.Equal("10s", only.GetProperty("name").GetString());
        Assert.Equal("Tumbling", only.GetProperty("kind").GetString());
        Assert.Equal(10, only.GetProperty("sizeSeconds").GetDouble());
        Assert.Equal(JsonValueKind.Null, only.GetProperty("slideSeconds").ValueKind);
    }

    [Fact]
    public async Task Series_should_list_each_device_metric_and_window_most_recently_updated_first()
    {
        _store.RecordWindow(Result("d1", "temperature", 0, 20));
        _store.RecordWindow(Result("d1", "temperature", 0, 20, windowName: "1m"));
        _store.RecordWindow(Result("d2", "humidity", 0, 40));
        _store.RecordWindow(Result("d1", "temperature", 1, 21));
        var all = await _client.GetFromJsonAsync<JsonElement>("/api/series");
        Assert.Equal(
            ["d1/temperature/10s", "d2/humidity/10s", "d1/temperature/1m"],
            all.EnumerateArray().Select(e => $"{e.GetProperty("deviceId").GetString()}/{e.GetProperty("metric").GetString()}/{e.GetProperty("window").GetString()}"));
        Assert.Equal(2, all[0].GetProperty("results").GetInt32());
        Assert.Equal(T0.AddSeconds(20), all[0].GetProperty("newestWindowEnd").GetDateTimeOffset());
        var temperature = await _client.GetFromJsonAsync<JsonElement>("/api/series?metric=temperature&window=10s");
        Assert.Equal(["d1"], temperature.EnumerateArray().Select(e => e.GetProperty("deviceId").GetString()));
    }

    [Fact]
    public async Task Status_should_report_the_series_held_the_result_lag_and_each_window_definition()
    {
        _store.RecordWindow(Result("d1", "temperature", 0, 20));
        _store.RecordWindow(Result("d1", "temperature", 0, 20, windowName: "1m"));
        var before = DateTimeOffset.UtcNow;
        var status = await _client.GetFromJsonAsync<JsonElement>("/api/status");
        var after = DateTimeOffset.UtcNow;
        Assert.Equal(2, status.GetProperty("series").GetInt32());
        Assert.Equal(0, status.GetProperty("seriesEvicted").GetInt64());
        Assert.Equal(T0.AddSeconds(10), status.GetProperty("newestWindowEnd").GetDateTimeOffset());
        Assert.InRange(status.GetProperty("resultLagSeconds").GetDouble(), (before - T0.AddSeconds(10)).TotalSeconds, (after - T0.AddSeconds(10)).TotalSeconds);
        Assert.Equal(JsonValueKind.Array, status.GetProperty("sources").ValueKind);
        Assert.Equal(JsonValueKind.Array, status.GetProperty("windows").ValueKind);
    }

    [Fact]
    public async Task The_dashboard_page_and_its_chart_library_should_be_served_at_the_root()
    {
        var html = await _client.GetStringAsync(new Uri("/", UriKind.Relative));
        Assert.Contains("<div id=\"chart\"", html, StringComparison.Ordinal);
        Assert.Contains("vendor/uplot/uPlot.iife.min.js", html, StringComparison.Ordinal);
        var script = await _client.GetStringAsync(new Uri("/dashboard.js", UriKind.Relative));
        Assert.Contains("api/stream", script, StringComparison.Ordinal);
        var library = await _client.GetStringAsync(new Uri("/vendor/uplot/uPlot.iife.min.js", UriKind.Relative));
        Assert.StartsWith("/*! https://github.com/leeoniya/uPlot", library, StringComparison.Ordinal);
        // The library's licence ships with it, inside the service assembly.
        var licence = LiveViewExtensions.DashboardFiles.GetFileInfo("vendor/uplot/LICENSE");
        Assert.True(licence.Exists, "vendor/uplot/LICENSE is not embedded");
        using var text = new StreamReader(licence.CreateReadStream());
        Assert.Contains("MIT License", await text.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_dashboard_should_be_served_when_the_content_root_has_no_wwwroot()
    {
        var elsewhere = Directory.CreateTempSubdirectory("reactiveingest-contentroot-");
        try
        {
            await using var host = _host.WithWebHostBuilder(b => b.UseContentRoot(elsewhere.FullName));
            using var client = host.CreateClient();
            var html = await client.GetStringAsync(new Uri("/", UriKind.Relative));
            Assert.Contains("<title>ReactiveIngest", html, StringComparison.Ordinal);
            using var library = await client.GetAsync(new Uri("/vendor/uplot/uPlot.iife.min.js", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, library.StatusCode);
            Assert.Equal("text/javascript", library.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            elsewhere.Delete(recursive: true);
        }
    }
}
