using ReactiveIngest.TestSupport.Servers;
using System.Diagnostics;
using System.Text.Json;
using ReactiveIngest.TestSupport.Browser;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Browser;

/// <summary>
/// Loads the live dashboard of the real demo service (child process, Kestrel on a loopback port) in headless
/// Chromium (Debian's chromium and chromium-driver packages) and checks that window results arrive over
/// Server-Sent Events and are charted and tabled.
/// </summary>
public sealed class DashboardBrowserSpec(ITestOutputHelper output)
{
    // Generous: on a loaded 2-core machine the first 2 s window plus 2 s out-of-orderness can take a while to show.
    private static readonly TimeSpan ChartTimeout = TimeSpan.FromSeconds(90);

    // Small fleet, fast readings, a 2 s tumbling window in place of the demo's 10 s one.
    private static readonly Dictionary<string, string> DemoSettings = new()
    {
        ["ReactiveIngest:Demo:Devices"] = "20",
        ["ReactiveIngest:Demo:IntervalMs"] = "200",
        ["ReactiveIngest:Pipeline:Windows:0:Name"] = "2s",
        ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:02",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    // State of the page as one JSON object: what the chart drew, how many table rows, and the canvas pixels
    // painted in a saturated colour (series lines; the grid and labels are grey, the background is CSS).
    private const string PageStateScript = """
        const chart = document.getElementById('chart');
        const data = chart.getContext('2d').getImageData(0, 0, chart.width, chart.height).data;
        let coloured = 0;
        for (let i = 0; i < data.length; i += 4) {
          const r = data[i], g = data[i + 1], b = data[i + 2], a = data[i + 3];
          if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 60) coloured++;
        }
        const rows = [...document.querySelectorAll('#latest tbody tr')].map(tr => [...tr.cells].map(c => c.textContent));
        return {
          points: Number(chart.dataset.points),
          coloured,
          rows: rows.length,
          firstRow: rows[0] ?? [],
          legend: document.getElementById('legend').children.length,
          connection: document.getElementById('connection').textContent,
          results: document.getElementById('s-results').textContent,
          title: document.title,
        };
        """;

    [Fact]
    public async Task Dashboard_should_chart_window_results_streamed_from_the_demo_fleet()
    {
        var clock = Stopwatch.StartNew();
        await using var service = await DemoServiceProcess.StartAsync(DemoSettings);
        using var serviceLog = service.Log.CaptureTo(output, "service");
        output.WriteLine($"service live at {service.BaseAddress} after {clock.Elapsed.TotalSeconds:F1} s");

        await using var browser = await HeadlessChromium.StartAsync();
        using var driverLog = browser.Driver.Log.CaptureTo(output, "chromedriver");
        output.WriteLine($"browser session after {clock.Elapsed.TotalSeconds:F1} s");

        await browser.Session.NavigateAsync(service.BaseAddress);
        var loadedAt = clock.Elapsed;

        // data-points counts points, but a series with one point draws no visible line (moveTo only), so also
        // wait for series pixels: a chart a person would see, which needs a second window per series.
        var state = await PollPageAsync(browser.Session, s =>
            s.GetProperty("points").GetInt32() > 0 && s.GetProperty("rows").GetInt32() > 0 && s.GetProperty("coloured").GetInt32() > 0);
        output.WriteLine($"chart has data {(clock.Elapsed - loadedAt).TotalSeconds:F1} s after the page loaded: {state}");

        Assert.StartsWith("ReactiveIngest", state.GetProperty("title").GetString(), StringComparison.Ordinal);
        Assert.True(state.GetProperty("points").GetInt32() > 0, $"no points drawn: {state}");
        Assert.True(state.GetProperty("coloured").GetInt32() > 0, $"data-points says points were drawn but no series line is on the canvas: {state}");
        Assert.True(state.GetProperty("legend").GetInt32() > 0, $"the legend names no device: {state}");
        Assert.InRange(state.GetProperty("rows").GetInt32(), 1, 20);
        var firstRow = state.GetProperty("firstRow").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToList();
        Assert.Equal(8, firstRow.Count);
        Assert.False(string.IsNullOrWhiteSpace(firstRow[0]), $"the first row names no device: {state}");
        Assert.False(string.IsNullOrWhiteSpace(firstRow[1]), $"the first row names no metric: {state}");
        Assert.True(int.TryParse(firstRow[3], out var count) && count > 0, $"the first row's count is not a positive number: {state}");
        Assert.Equal("live", state.GetProperty("connection").GetString());

        var screenshot = await browser.Session.ScreenshotAsync();
        Assert.True(screenshot.Length > 8 && screenshot[1] == (byte)'P' && screenshot[2] == (byte)'N' && screenshot[3] == (byte)'G', "the screenshot is not a PNG");
        var path = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await File.WriteAllBytesAsync(path, screenshot);
        output.WriteLine($"screenshot: {path}; total {clock.Elapsed.TotalSeconds:F1} s");
    }

    private async Task<JsonElement> PollPageAsync(WebDriverSession session, Func<JsonElement, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        JsonElement state;
        while (true)
        {
            state = await session.ExecuteScriptAsync(PageStateScript);
            if (done(state))
            {
                return state;
            }

            if (deadline.Elapsed > ChartTimeout)
            {
                var screenshot = await session.ScreenshotAsync();
                var path = Path.Combine(AppContext.BaseDirectory, "dashboard-timeout.png");
                await File.WriteAllBytesAsync(path, screenshot);
                Assert.Fail($"The dashboard showed no charted window results within {ChartTimeout} (screenshot: {path}). Last page state: {state}");
            }

            // The page redraws every 500 ms; look a little more often than that.
            await Task.Delay(250);
        }
    }
}
