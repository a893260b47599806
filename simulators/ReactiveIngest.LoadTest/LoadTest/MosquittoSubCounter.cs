using System.Diagnostics;
using System.Globalization;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Servers;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Runs <c>mosquitto_sub</c> (QoS 1, topic printed per message) on the device topics and counts what it receives
/// per device: the reference subscriber of the ceiling measurement. The device map holds one entry per topic seen.
/// </summary>
public sealed class MosquittoSubCounter : IAsyncDisposable
{
    private const string ProbeTopic = "sites/probe/devices/probe/telemetry";
    private readonly Dictionary<string, long> _received = new(StringComparer.Ordinal);
    private readonly Process _process;
    private readonly TaskCompletionSource _probeSeen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _total;

    private MosquittoSubCounter(Process process) => _process = process;

    /// <summary>Messages received (probes excluded).</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Starts mosquitto_sub and waits until it demonstrably receives (a probe message published until seen).</summary>
    public static async Task<MosquittoSubCounter> StartAsync(string host, int port, CancellationToken cancellationToken = default)
    {
        var binary = BinaryLocator.Require("mosquitto_sub", "sudo apt-get install -y mosquitto-clients");
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", host, "-p", port.ToString(CultureInfo.InvariantCulture), "-q", "1", "-t", "sites/+/devices/+/telemetry", "-F", "%t", "-i", $"ceiling-{Guid.NewGuid():N}"[..20] })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto_sub did not start.");
        var counter = new MosquittoSubCounter(process);
        process.OutputDataReceived += (_, e) => counter.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[mosquitto_sub] {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var probe = new MqttClientFactory().CreateMqttClient();
        await probe.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(host, port).WithClientId($"ceiling-probe-{Guid.NewGuid():N}"[..26]).Build(), cancellationToken);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!counter._probeSeen.Task.IsCompleted)
        {
            if (DateTime.UtcNow > deadline || process.HasExited)
            {
                await counter.DisposeAsync();
                throw new InvalidOperationException("mosquitto_sub did not receive the probe message within 60 s.");
            }

            await probe.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(ProbeTopic).WithPayload("probe").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken);
            await Task.WhenAny(counter._probeSeen.Task, Task.Delay(200, cancellationToken));
        }

        await probe.DisconnectAsync(cancellationToken: cancellationToken);
        return counter;
    }

    /// <summary>Waits until <paramref name="expected"/> messages arrived or nothing arrived for <paramref name="quiet"/>.</summary>
    public async Task WaitForAsync(long expected, TimeSpan quiet, CancellationToken cancellationToken = default)
    {
        var last = -1L;
        var lastChange = DateTime.UtcNow;
        while (Total < expected)
        {
            if (Total != last)
            {
                last = Total;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > quiet)
            {
                return;
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    /// <summary>Messages the ground truth says were accepted and mosquitto_sub did not receive (summed per device).</summary>
    public long Lost(GroundTruthSnapshot truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        lock (_received)
        {
            return truth.Devices.Sum(d => Math.Max(0, d.Published - _received.GetValueOrDefault(d.DeviceId)));
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? topic)
    {
        if (topic is null)
        {
            return;
        }

        if (topic == ProbeTopic)
        {
            _probeSeen.TrySetResult();
            return;
        }

        var segments = topic.Split('/');
        var device = segments.Length == 5 ? segments[3] : string.Empty;
        lock (_received)
        {
            _received[device] = _received.GetValueOrDefault(device) + 1;
        }

        Interlocked.Increment(ref _total);
    }
}
