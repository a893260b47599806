using System.Diagnostics;
using System.Net.Sockets;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// A server started as a child process on loopback for the duration of a test run: start, wait until it
/// answers, stop (gracefully or by kill), restart on the same port and data directory, delete its files.
/// </summary>
public abstract class ServerProcess : IAsyncDisposable
{
    private Process? _process;

    /// <summary>Creates the server with a fresh temporary directory.</summary>
    protected ServerProcess(string name)
    {
        Name = name;
        Directory = System.IO.Directory.CreateTempSubdirectory($"ri-{name}-").FullName;
    }

    /// <summary>A short name for logs (mosquitto, influxd).</summary>
    public string Name { get; }

    /// <summary>The temporary directory holding the server's configuration and data.</summary>
    public string Directory { get; }

    /// <summary>Everything the server printed (bounded).</summary>
    public ServerLog Log { get; } = new();

    /// <summary>True while the process is running.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>How long to wait for the server to answer after starting.</summary>
    protected virtual TimeSpan StartTimeout => TimeSpan.FromSeconds(60);

    /// <summary>The executable and its arguments.</summary>
    protected abstract (string FileName, IReadOnlyList<string> Arguments) Command();

    /// <summary>Environment variables set for the child process (none by default).</summary>
    protected virtual IReadOnlyDictionary<string, string> EnvironmentVariables { get; } = new Dictionary<string, string>();

    /// <summary>Writes configuration files before each start.</summary>
    protected virtual void WriteConfiguration()
    {
    }

    /// <summary>True once the server answers requests.</summary>
    protected abstract Task<bool> IsReadyAsync(CancellationToken cancellationToken);

    /// <summary>Starts the server and waits until it answers.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        WriteConfiguration();
        var (fileName, arguments) = Command();
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in EnvironmentVariables)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { Log.Append(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Log.Append(e.Data); } };
        Log.Append($"[fixture] starting {fileName} {string.Join(' ', arguments)}");
        if (!process.Start())
        {
            throw new InvalidOperationException($"{Name} did not start.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException(
                    $"{Name} exited with code {process.ExitCode} during start-up. Its log:{Environment.NewLine}{string.Join(Environment.NewLine, Log.Since(0))}");
            }

            try
            {
                if (await IsReadyAsync(timeout.Token))
                {
                    Log.Append($"[fixture] {Name} is ready");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or SocketException or IOException || (e is OperationCanceledException && !timeout.IsCancellationRequested))
            {
                // Not listening yet.
            }

            if (timeout.IsCancellationRequested)
            {
                await KillAsync();
                throw new TimeoutException(
                    $"{Name} did not answer within {StartTimeout}. Its log:{Environment.NewLine}{string.Join(Environment.NewLine, Log.Since(0))}");
            }

            await Task.Delay(50, CancellationToken.None);
        }
    }

    /// <summary>CPU time (user + system) the running process has used so far; null when it is not running.</summary>
    public TimeSpan? CpuTime
    {
        get
        {
            var process = _process;
            if (process is null || process.HasExited)
            {
                return null;
            }

            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>The id of the running process; null when it is not running.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>
    /// The peak resident set size of the running process in bytes (Linux <c>VmHWM</c> from /proc/&lt;pid&gt;/status,
    /// else the current working set); null when it is not running.
    /// </summary>
    public long? PeakRssBytes
    {
        get
        {
            var process = _process;
            if (process is null || process.HasExited)
            {
                return null;
            }

            if (ProcStatus.ReadBytes(process.Id, "VmHWM") is { } peak)
            {
                return peak;
            }

            process.Refresh();
            return process.PeakWorkingSet64 > 0 ? process.PeakWorkingSet64 : process.WorkingSet64;
        }
    }

    /// <summary>The current resident set size of the running process in bytes (Linux <c>VmRSS</c>); null when it is not running or not on Linux.</summary>
    public long? RssBytes => _process is { HasExited: false } process ? ProcStatus.ReadBytes(process.Id, "VmRSS") : null;

    /// <summary>Stops the server gracefully (SIGTERM), killing it if it does not exit in time.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        var process = _process;
        if (process is null || process.HasExited)
        {
            _process = null;
            return;
        }

        Log.Append($"[fixture] stopping {Name}");
        SendSigterm(process.Id);
        using var cts = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Kills the server abruptly (SIGKILL), as a crash would.</summary>
    public async Task KillAsync()
    {
        var process = _process;
        if (process is null)
        {
            return;
        }

        Log.Append($"[fixture] killing {Name}");
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Stops and starts the server again on the same port with the same data.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken = default)
    {
        await StopAsync();
        await StartAsync(cancellationToken);
    }

    /// <summary>Stops the server and deletes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open; the temp directory is cleaned by the OS eventually.
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>True when a TCP connection to 127.0.0.1:<paramref name="port"/> succeeds.</summary>
    protected static async Task<bool> CanConnectAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, port, cancellationToken);
        return client.Connected;
    }

    private static void SendSigterm(int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false });
        kill?.WaitForExit();
    }
}
