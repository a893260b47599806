using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using ReactiveIngest.TestSupport.Browser;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Browser;

/// <summary>
/// Loads the live dashboard of the real demo service (child process started from an empty temporary directory,
/// Kestrel on a loopback port, the demo's 200-device fleet) in headless Chromium (Debian's chromium and
/// chromium-driver packages), picks a series in the pickers and checks that uPlot charts it with more than one
/// point, that live results extend it, and that the top-N, dead-letter and health panels show the service's data.
/// </summary>
public sealed class DashboardBrowserSpec(ITestOutputHelper output)
{
    // Generous: on a loaded 2-core machine the first windows plus the out-of-orderness can take a while to show.
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(120);

    // The demo's fleet (200 devices, a reading set per second) with shorter windows than the demo's 10 s and 1 min,
    // so a chart has several points within seconds, and more malformed messages, so dead letters show at once.
    private static readonly Dictionary<string, string> DemoSettings = new()
    {
        ["ReactiveIngest:Demo:MalformedRatio"] = "0.01",
        ["ReactiveIngest:Demo:StatusLine"] = "false",
        ["ReactiveIngest:Pipeline:Windows:0:Name"] = "2s",
        ["ReactiveIngest:Pipeline:Windows:0:Kind"] = "Tumbling",
        ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:02",
        ["ReactiveIngest:Pipeline:Windows:1:Name"] = "10s",
        ["ReactiveIngest:Pipeline:Windows:1:Kind"] = "Hopping",
        ["ReactiveIngest:Pipeline:Windows:1:Size"] = "00:00:10",
        ["ReactiveIngest:Pipeline:Windows:1:Slide"] = "00:00:02",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
    };

    // The pickers' choices, as the page loaded them from /api/windows and /api/series.
    private const string PickersScript = """
        const values = id => [...document.getElementById(id).options].map(o => o.value);
        return { windows: values('window'), metrics: values('metric'), devices: values('device') };
        """;

    // Chooses window arguments[0] in the window picker, then device arguments[1], as a person would.
    private const string PickScript = """
        const pick = (id, value) => { const s = document.getElementById(id); s.value = value; s.dispatchEvent(new Event('change')); };
        pick('window', arguments[0]);
        setTimeout(() => pick('device', arguments[1]), 500);
        return true;
        """;

    // What uPlot holds and drew for the charted series, and whether the canvas really has the mean line's colour at
    // the positions uPlot computes for the mean points (so the line is painted, not just a canvas present).
    private const string ChartScript = """
        const d = window.reactiveIngestDashboard, u = d.chart;
        const xs = u.data[0], mean = u.data[1], min = u.data[2], max = u.data[3];
        const ctx = u.ctx;
        let painted = 0;
        for (let i = 0; i < xs.length; i++) {
          if (mean[i] == null) continue;
          const x = Math.round(u.valToPos(xs[i], 'x', true)), y = Math.round(u.valToPos(mean[i], 'y', true));
          const px = ctx.getImageData(x - 2, y - 2, 5, 5).data;
          for (let k = 0; k < px.length; k += 4) {
            if (px[k + 3] > 128 && px[k + 2] > 180 && px[k] < 160) { painted++; break; }
          }
        }
        const rows = id => document.querySelectorAll('#' + id + ' tbody tr').length;
        return {
          selection: { ...d.selection },
          points: xs.length,
          meanPoints: mean.filter(v => v != null).length,
          bandOk: mean.every((v, i) => v == null || (min[i] <= v && v <= max[i])),
          drawnMean: d.drawn.mean ?? null,
          painted,
          topRows: rows('top'),
          deadReasons: document.querySelectorAll('#dead-reasons li').length,
          deadRows: rows('dead-recent'),
          sourceRows: rows('sources'),
          rate: document.getElementById('s-rate').textContent,
          series: document.getElementById('s-series').textContent,
          journalHidden: document.getElementById('journal').hidden,
          connection: document.getElementById('connection').textContent,
          caption: document.getElementById('chart-empty').textContent,
          title: document.title,
        };
        """;

    [Fact]
    public async Task Dashboard_should_chart_the_picked_series_from_history_and_live_results_of_the_demo_fleet()
    {
        var clock = Stopwatch.StartNew();
        await using var service = await DemoServiceProcess.StartAsync(DemoSettings);
        using var serviceLog = service.Log.CaptureTo(output, "service");
        output.WriteLine($"service live at {service.BaseAddress} after {clock.Elapsed.TotalSeconds:F1} s");

        await using var browser = await HeadlessChromium.StartAsync(1280, 1000);
        using var driverLog = browser.Driver.Log.CaptureTo(output, "chromedriver");
        await browser.Session.NavigateAsync(service.BaseAddress);
        output.WriteLine($"page loaded after {clock.Elapsed.TotalSeconds:F1} s");

        // The pickers fill from the API once the first windows have closed; pick the hopping window and a device
        // other than the one the page chose by itself.
        var pickers = await PollAsync(browser.Session, PickersScript, s => s.GetProperty("devices").GetArrayLength() > 3);
        Assert.Equal(["2s", "10s"], pickers.GetProperty("windows").EnumerateArray().Select(w => w.GetString()));
        var device = pickers.GetProperty("devices")[3].GetString()!;
        var metric = pickers.GetProperty("metrics")[0].GetString()!;
        await browser.Session.ExecuteScriptAsync(PickScript, ["10s", device]);
        output.WriteLine($"picked 10s / {metric} / {device} after {clock.Elapsed.TotalSeconds:F1} s");

        var state = await PollAsync(browser.Session, ChartScript, s =>
            s.GetProperty("selection").GetProperty("device").GetString() == device
            && s.GetProperty("meanPoints").GetInt32() > 1 && s.GetProperty("painted").GetInt32() > 1
            && s.GetProperty("topRows").GetInt32() > 0 && s.GetProperty("deadReasons").GetInt32() > 0);
        output.WriteLine($"charted after {clock.Elapsed.TotalSeconds:F1} s: {state}");

        Assert.StartsWith("ReactiveIngest", state.GetProperty("title").GetString(), StringComparison.Ordinal);
        var selection = state.GetProperty("selection");
        Assert.Equal("10s", selection.GetProperty("window").GetString());
        Assert.Equal(metric, selection.GetProperty("metric").GetString());
        Assert.True(state.GetProperty("drawnMean").GetProperty("path").GetBoolean(), $"uPlot built no path for the mean: {state}");
        Assert.True(state.GetProperty("drawnMean").GetProperty("points").GetInt32() > 1, $"uPlot drew fewer than two mean points: {state}");
        Assert.True(state.GetProperty("bandOk").GetBoolean(), $"a mean lies outside its min/max band: {state}");
        Assert.True(state.GetProperty("deadRows").GetInt32() > 0, $"no recent dead letter is listed: {state}");
        Assert.True(state.GetProperty("sourceRows").GetInt32() > 0, $"the health panel lists no source: {state}");
        Assert.True(int.Parse(state.GetProperty("series").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0, $"no series held: {state}");
        Assert.Equal("live", state.GetProperty("connection").GetString());

        // The demo runs with the journal on (the default): the status lists its source journals and the page shows them.
        using var http = new HttpClient { BaseAddress = service.BaseAddress };
        var status = await http.GetFromJsonAsync<JsonElement>("api/status");
        Assert.True(status.GetProperty("journals").GetArrayLength() > 0, $"the demo's status lists no journal: {status}");
        Assert.False(state.GetProperty("journalHidden").GetBoolean(), $"the journal panel is hidden: {state}");

        // Live updates over SSE keep extending the chart: a 10 s window hopping by 2 s closes every 2 s.
        var before = state.GetProperty("points").GetInt32();
        var later = await PollAsync(browser.Session, ChartScript, s => s.GetProperty("points").GetInt32() >= before + 5 && s.GetProperty("painted").GetInt32() >= before + 5);
        output.WriteLine($"live update after {clock.Elapsed.TotalSeconds:F1} s: {later.GetProperty("points").GetInt32()} points (had {before})");

        var screenshot = await browser.Session.ScreenshotAsync();
        Assert.True(screenshot.Length > 8 && screenshot[1] == (byte)'P' && screenshot[2] == (byte)'N' && screenshot[3] == (byte)'G', "the screenshot is not a PNG");
        var path = Path.Combine(AppContext.BaseDirectory, "dashboard.png");
        await File.WriteAllBytesAsync(path, screenshot);
        output.WriteLine($"screenshot: {path}; total {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static async Task<JsonElement> PollAsync(WebDriverSession session, string script, Func<JsonElement, bool> done)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var state = await session.ExecuteScriptAsync(script);
            if (done(state))
            {
                return state;
            }

            if (deadline.Elapsed > PageTimeout)
            {
                var screenshot = await session.ScreenshotAsync();
                var path = Path.Combine(AppContext.BaseDirectory, "dashboard-timeout.png");
                await File.WriteAllBytesAsync(path, screenshot);
                Assert.Fail($"The dashboard did not reach the expected state within {PageTimeout} (screenshot: {path}). Last page state: {state}");
            }

            await Task.Delay(250);
        }
    }
}
