using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;

namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>
/// Runs tests/ReactiveIngest.KafkaConsumerHost in a child process: a Kafka consumer that reports each record
/// it made durable on stdout ("DURABLE n", recorded in a <see cref="RecordLedger"/>) and can be killed with SIGKILL.
/// </summary>
internal sealed class ConsumerHostProcess : IDisposable
{
    private const int MaxLogLines = 200;
    private readonly Process _process;
    private readonly RecordLedger _ledger;
    private readonly Queue<string> _log = new();
    private readonly TaskCompletionSource _holding = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _stdoutClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ConsumerHostProcess(Process process, RecordLedger ledger)
    {
        _process = process;
        _ledger = ledger;
    }

    /// <summary>Completes when the host received its first record beyond the ones it releases.</summary>
    public Task Holding => _holding.Task;

    /// <summary>Records the host reported durable.</summary>
    public int Durable { get; private set; }

    public static ConsumerHostProcess Start(string bootstrapServers, string groupId, string topic, int release, RecordLedger ledger)
    {
        var dll = typeof(ConsumerHostProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "KafkaConsumerHostPath")?.Value;
        if (dll is null || !File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"The Kafka consumer host was not found at '{dll}'. Build it with `dotnet build tests/ReactiveIngest.KafkaConsumerHost -c <Configuration>` " +
                "(building ReactiveIngest.Kafka.Tests builds it too).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in new[]
                 {
                     dll, "--bootstrap", bootstrapServers, "--group", groupId, "--topic", topic,
                     "--release", release.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = start };
        var host = new ConsumerHostProcess(process, ledger);
        process.OutputDataReceived += (_, e) => host.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append("stderr", e.Data);
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start 'dotnet {dll}'.");
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>SIGKILL (no shutdown code runs in the host), then waits until its stdout is read to the end.</summary>
    public async Task KillAsync(TimeSpan timeout)
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await _stdoutClosed.Task.WaitAsync(timeout);
    }

    /// <summary>The last lines of the host's output, for failure messages.</summary>
    public string RecentLog()
    {
        lock (_log)
        {
            return "---- consumer host log ----" + Environment.NewLine + string.Join(Environment.NewLine, _log);
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(TimeSpan.FromSeconds(10));
            }
        }
        catch (InvalidOperationException)
        {
            // Never started or already gone.
        }

        _process.Dispose();
    }

    private void OnStdout(string? line)
    {
        if (line is null)
        {
            _stdoutClosed.TrySetResult();
            _holding.TrySetException(new InvalidOperationException($"The consumer host exited before holding records.{Environment.NewLine}{RecentLog()}"));
            return;
        }

        if (line.StartsWith("DURABLE ", StringComparison.Ordinal))
        {
            Durable++; // the output callbacks run one at a time
            _ledger.Processed(int.Parse(line.AsSpan("DURABLE ".Length), CultureInfo.InvariantCulture));
            return;
        }

        Append("stdout", line);
        if (line == "HOLDING")
        {
            _holding.TrySetResult();
        }
    }

    private void Append(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Enqueue($"[{stream}] {line}");
            while (_log.Count > MaxLogLines)
            {
                _log.Dequeue();
            }
        }
    }
}
