using ReactiveIngest.Simulator.Servers;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.TestSupport.Browser;

/// <summary>
/// Runs Debian's <c>chromedriver</c> on a free loopback port as a child process. Dispose kills it and the
/// browsers it started.
/// </summary>
public sealed class ChromeDriverProcess : IDisposable
{
    /// <summary>The command that installs the browser and its driver on Debian.</summary>
    public const string InstallCommand = "apt-get install -y chromium chromium-driver";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process _process;

    private ChromeDriverProcess(Process process, Uri endpoint, string chromiumPath, ServerLog log)
    {
        _process = process;
        Endpoint = endpoint;
        ChromiumPath = chromiumPath;
        Log = log;
    }

    /// <summary>The driver's base address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The Chromium binary the driver starts.</summary>
    public string ChromiumPath { get; }

    /// <summary>What chromedriver printed (bounded).</summary>
    public ServerLog Log { get; }

    /// <summary>
    /// Finds chromium and chromedriver (throwing <see cref="ServerNotInstalledException"/> with the install
    /// command when either is missing), starts the driver and waits until its <c>/status</c> says ready.
    /// </summary>
    public static async Task<ChromeDriverProcess> StartAsync(CancellationToken cancellationToken = default)
    {
        var chromium = BinaryLocator.Require("chromium", InstallCommand);
        var driver = BinaryLocator.Require("chromedriver", InstallCommand);
        var port = FreePort.Next();
        var log = new ServerLog(500);
        var start = new ProcessStartInfo(driver)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--port=" + port.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--allowed-ips=127.0.0.1");
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Append(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Append(e.Data); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start '{driver}'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var endpoint = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var result = new ChromeDriverProcess(process, endpoint, chromium, log);
        try
        {
            await result.WaitUntilReadyAsync(cancellationToken);
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
    }

    /// <summary>Kills the driver and every process it started.</summary>
    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = Endpoint, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException(
                    $"chromedriver exited with code {_process.ExitCode} before it was ready.{Environment.NewLine}{string.Join(Environment.NewLine, Log.Since(0))}");
            }

            try
            {
                var status = await http.GetFromJsonAsync<JsonElement>(new Uri("status", UriKind.Relative), cancellationToken);
                if (status.GetProperty("value").GetProperty("ready").GetBoolean())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // A slow answer on a loaded machine; ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"chromedriver did not report ready on {Endpoint} within {StartTimeout}.{Environment.NewLine}{string.Join(Environment.NewLine, Log.Since(0))}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }
}
