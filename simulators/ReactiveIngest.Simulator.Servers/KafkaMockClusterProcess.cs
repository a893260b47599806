using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// Runs tests/ReactiveIngest.KafkaMockCluster as a child process (<c>dotnet &lt;dll&gt;</c>): librdkafka's mock cluster
/// with <see cref="BrokerCount"/> real Kafka-protocol brokers on loopback ports, plus fault injection through its
/// stdin commands. The process is stopped on dispose (stdin closed, then killed). Its log is bounded.
/// </summary>
public sealed class KafkaMockClusterProcess : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);
    private const int MaxLogLines = 2000;

    private readonly Queue<string> _log = new();
    private readonly SemaphoreSlim _commandGate = new(1, 1);
    private readonly TaskCompletionSource<string> _bootstrap = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _programDll;
    private readonly int? _rebalanceDelayMs;
    private TaskCompletionSource<string>? _pendingReply;
    private Process? _process;
    private bool _disposed;

    /// <summary>Creates (does not start) a cluster of <paramref name="brokerCount"/> brokers run from <paramref name="programDll"/>.</summary>
    /// <param name="programDll">ReactiveIngest.KafkaMockCluster.dll.</param>
    /// <param name="brokerCount">Brokers; their ids are 1..N.</param>
    /// <param name="groupInitialRebalanceDelayMs">The group coordinator's initial rebalance delay; null keeps librdkafka's (seconds).</param>
    public KafkaMockClusterProcess(string programDll, int brokerCount = 3, int? groupInitialRebalanceDelayMs = 100)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokerCount, 1);
        if (!File.Exists(programDll))
        {
            throw new FileNotFoundException(
                $"The Kafka mock-cluster program was not found at '{programDll}'. Build it with `dotnet build tests/ReactiveIngest.KafkaMockCluster -c Release`.",
                programDll);
        }

        _programDll = programDll;
        BrokerCount = brokerCount;
        _rebalanceDelayMs = groupInitialRebalanceDelayMs;
    }

    /// <summary>Number of brokers; their ids are 1..<see cref="BrokerCount"/>.</summary>
    public int BrokerCount { get; }

    /// <summary>The bootstrap servers (host:port list) once started.</summary>
    public string BootstrapServers => _bootstrap.Task.IsCompletedSuccessfully
        ? _bootstrap.Task.Result
        : throw new InvalidOperationException("The mock cluster is not started.");

    /// <summary>Starts the child process and waits for its bootstrap line.</summary>
    public async Task StartAsync()
    {
        var dll = _programDll;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--brokers");
        start.ArgumentList.Add(BrokerCount.ToString(CultureInfo.InvariantCulture));
        if (_rebalanceDelayMs is { } delay)
        {
            start.ArgumentList.Add("--rebalance-delay-ms");
            start.ArgumentList.Add(delay.ToString(CultureInfo.InvariantCulture));
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => AppendLog("stderr", e.Data);
        process.Exited += (_, _) => OnExited();
        if (!process.Start())
        {
            throw new InvalidOperationException($"Could not start 'dotnet {dll}'.");
        }

        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var finished = await Task.WhenAny(_bootstrap.Task, Task.Delay(StartTimeout));
        if (finished != _bootstrap.Task)
        {
            throw new InvalidOperationException(
                $"The Kafka mock cluster did not print its bootstrap servers within {StartTimeout}.{Environment.NewLine}{RecentLog()}");
        }

        await _bootstrap.Task; // surfaces an early exit as an exception with the log
    }

    /// <summary>Creates a topic with <paramref name="partitions"/> partitions.</summary>
    public Task CreateTopicAsync(string name, int partitions, int? replicationFactor = null) =>
        SendAsync(replicationFactor is { } rf
            ? $"topic {name} {partitions} {rf}"
            : $"topic {name} {partitions}");

    /// <summary>Takes broker <paramref name="brokerId"/> (1..N) down: connections drop, new ones are refused.</summary>
    public Task BrokerDownAsync(int brokerId) => SendAsync($"down {brokerId}");

    /// <summary>Brings broker <paramref name="brokerId"/> back up.</summary>
    public Task BrokerUpAsync(int brokerId) => SendAsync($"up {brokerId}");

    /// <summary>Makes the next requests of Kafka API <paramref name="apiKey"/> fail with <paramref name="errorCodes"/>, in order.</summary>
    public Task PushRequestErrorsAsync(short apiKey, params int[] errorCodes)
    {
        ArgumentNullException.ThrowIfNull(errorCodes);
        ArgumentOutOfRangeException.ThrowIfZero(errorCodes.Length);
        return SendAsync($"errors {apiKey} {string.Join(',', errorCodes)}");
    }

    /// <summary>The last lines the child process wrote (stdout and stderr), for failure messages.</summary>
    public string RecentLog()
    {
        lock (_log)
        {
            return "---- Kafka mock cluster log ----" + Environment.NewLine + string.Join(Environment.NewLine, _log);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Stops the child: closes its stdin, then kills it if it has not exited.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.StandardInput.Close();
                    if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
                    {
                        process.Kill(entireProcessTree: true);
                        process.WaitForExit(TimeSpan.FromSeconds(5));
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            catch (IOException)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }

        _commandGate.Dispose();
    }

    /// <summary>Sends one stdin command and waits for its <c>OK</c> reply; throws on <c>ERR</c> or a timeout.</summary>
    public async Task SendAsync(string command)
    {
        var process = _process ?? throw new InvalidOperationException("The mock cluster is not started.");
        await _commandGate.WaitAsync();
        try
        {
            var reply = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _pendingReply, reply);
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The mock cluster exited before '{command}'.{Environment.NewLine}{RecentLog()}");
            }

            AppendLog("command", command);
            await process.StandardInput.WriteLineAsync(command);
            await process.StandardInput.FlushAsync();
            var finished = await Task.WhenAny(reply.Task, Task.Delay(CommandTimeout));
            if (finished != reply.Task)
            {
                throw new TimeoutException($"No reply to '{command}' within {CommandTimeout}.{Environment.NewLine}{RecentLog()}");
            }

            var line = await reply.Task;
            if (!line.StartsWith("OK ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Mock cluster refused '{command}': {line}");
            }
        }
        finally
        {
            Volatile.Write(ref _pendingReply, null);
            _commandGate.Release();
        }
    }

    private void OnStdout(string? line)
    {
        AppendLog("stdout", line);
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("BOOTSTRAP ", StringComparison.Ordinal))
        {
            _bootstrap.TrySetResult(line["BOOTSTRAP ".Length..].Trim());
        }
        else if (line.StartsWith("OK ", StringComparison.Ordinal) || line.StartsWith("ERR ", StringComparison.Ordinal))
        {
            Volatile.Read(ref _pendingReply)?.TrySetResult(line);
        }
    }

    private void OnExited()
    {
        AppendLog("exit", "process exited");
        var failure = new InvalidOperationException($"The Kafka mock cluster process exited.{Environment.NewLine}{RecentLog()}");
        _bootstrap.TrySetException(failure);
        Volatile.Read(ref _pendingReply)?.TrySetException(failure);
    }

    private void AppendLog(string stream, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            if (_log.Count == MaxLogLines)
            {
                _log.Dequeue(); // bounded: the oldest line goes
            }

            _log.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {stream}: {line}");
        }
    }
}
