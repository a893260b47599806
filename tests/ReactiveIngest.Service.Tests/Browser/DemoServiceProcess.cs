using ReactiveIngest.Simulator.Servers;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Service.Tests.Browser;

/// <summary>
/// Runs the built service as a user would (<c>dotnet ReactiveIngest.Service.dll demo</c>, content root the project
/// folder as with <c>dotnet run</c>) with Kestrel on a free loopback port and extra settings on the command line.
/// Dispose kills it.
/// </summary>
internal sealed class DemoServiceProcess : IAsyncDisposable
{
    /// <summary>Environment variable that overrides where the service DLL is.</summary>
    public const string DllVariable = "REACTIVEINGEST_SERVICE_DLL";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;

    private DemoServiceProcess(Process process, Uri baseAddress, ServerLog log)
    {
        _process = process;
        BaseAddress = baseAddress;
        Log = log;
    }

    /// <summary>The dashboard's address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>What the service printed (bounded).</summary>
    public ServerLog Log { get; }

    /// <summary>Starts <c>demo</c> with <paramref name="settings"/> as <c>--key=value</c> arguments and waits for <c>/health/live</c>.</summary>
    public static async Task<DemoServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var (dll, contentRoot) = Locate();
        var port = FreePort.Next();
        var baseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = contentRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("demo");
        start.ArgumentList.Add("--contentRoot=" + contentRoot);
        start.ArgumentList.Add("--ReactiveIngest:Http:Urls=" + baseAddress.GetLeftPart(UriPartial.Authority));
        foreach (var (key, value) in settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        var log = new ServerLog(2000);
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { log.Append(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { log.Append("stderr: " + e.Data); } };
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start 'dotnet {dll} demo'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var service = new DemoServiceProcess(process, baseAddress, log);
        try
        {
            await service.WaitUntilLiveAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <summary>The recent log as one string, for failure messages.</summary>
    public string RecentLog() => "---- service log ----" + Environment.NewLine + string.Join(Environment.NewLine, Log.Since(Math.Max(0, Log.Position - 200)));

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (OperationCanceledException)
        {
            // Killed but not reaped in time; the OS finishes it.
        }

        _process.Dispose();
    }

    private static (string Dll, string ContentRoot) Locate()
    {
        var metadata = typeof(DemoServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        var dll = Environment.GetEnvironmentVariable(DllVariable)
            ?? metadata.FirstOrDefault(a => a.Key == "ReactiveIngestServiceDll")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where ReactiveIngest.Service.dll is.");
        var contentRoot = metadata.FirstOrDefault(a => a.Key == "ReactiveIngestServiceContentRoot")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where the service's content root is.");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"The service is not built at '{dll}'. Build it (dotnet build tests/ReactiveIngest.Service.Tests -c Release builds it) or set {DllVariable}.", dll);
        }

        if (!File.Exists(Path.Combine(contentRoot, "wwwroot", "index.html")))
        {
            throw new FileNotFoundException($"The dashboard page is not at '{contentRoot}/wwwroot/index.html'.");
        }

        return (dll, contentRoot);
    }

    private async Task WaitUntilLiveAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} during start.{Environment.NewLine}{RecentLog()}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health/live", UriKind.Relative), cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
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
                // Slow answer on a loaded machine; ask again.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The service did not answer /health/live on {BaseAddress} within {StartTimeout}.{Environment.NewLine}{RecentLog()}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }
}
