using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using ReactiveIngest.Simulator.GroundTruth;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// Subscribes to every device topic and rebuilds, from what the broker delivers, the same per-device counts and
/// per-window aggregates the ground truth holds. Readings are de-duplicated by (device, event time), at most
/// <c>maxDistinct</c> of them (beyond that <see cref="Incomplete"/> is set and aggregates are not checked).
/// </summary>
public sealed class DeliverySubscriber(string host, int port, int qos, bool lineProtocol, int maxDistinct = 20_000_000) : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Dictionary<string, long> _received = new(StringComparer.Ordinal);
    private readonly HashSet<(string, long)> _seen = [];
    private readonly Dictionary<WindowKey, WindowStats> _windows = [];
    private readonly List<(string Metric, double Value)> _metrics = [];
    private IMqttClient? _client;
    private long _total;
    private long _malformed;

    /// <summary>Messages received.</summary>
    public long Total => Interlocked.Read(ref _total);

    /// <summary>Payloads the parser rejected.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>True when more distinct readings arrived than the de-duplication set holds.</summary>
    public bool Incomplete { get; private set; }

    /// <summary>Connects and subscribes to <c>sites/+/devices/+/telemetry</c>.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage(e.ApplicationMessage);
            return Task.CompletedTask;
        };
        await _client.ConnectAsync(
            new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithClientId($"sim-verifier-{Guid.NewGuid():N}")
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithCleanSession(true)
                .Build(),
            cancellationToken);
        await _client.SubscribeAsync(
            new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic("sites/+/devices/+/telemetry").WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos))
                .Build(),
            cancellationToken);
    }

    /// <summary>Waits until <paramref name="expected"/> messages arrived, or nothing arrived for <paramref name="quiet"/>, or <paramref name="timeout"/> passed.</summary>
    public async Task WaitForAsync(long expected, TimeSpan quiet, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var started = DateTime.UtcNow;
        var lastChange = DateTime.UtcNow;
        var last = Total;
        while (Total < expected && DateTime.UtcNow - started < timeout)
        {
            await Task.Delay(50, cancellationToken);
            var now = Total;
            if (now != last)
            {
                last = now;
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > quiet)
            {
                break;
            }
        }
    }

    /// <summary>Compares what arrived with <paramref name="truth"/>.</summary>
    public DeliveryVerdict Verify(GroundTruthSnapshot truth)
    {
        ArgumentNullException.ThrowIfNull(truth);
        lock (_gate)
        {
            long lost = 0, duplicates = 0;
            foreach (var device in truth.Devices)
            {
                var received = _received.GetValueOrDefault(device.DeviceId);
                lost += Math.Max(0, device.Published - received);
                duplicates += Math.Max(0, received - device.Published);
            }

            long checkedWindows = 0, mismatches = 0;
            if (!Incomplete && !truth.WindowsTruncated)
            {
                var expected = truth.WindowMap();
                foreach (var (key, stats) in expected)
                {
                    checkedWindows++;
                    if (!_windows.TryGetValue(key, out var actual) || !actual.Matches(stats))
                    {
                        mismatches++;
                    }
                }

                mismatches += _windows.Keys.Count(k => !expected.ContainsKey(k));
            }

            return new DeliveryVerdict(Total, lost, duplicates, Malformed, checkedWindows, mismatches, Incomplete || truth.WindowsTruncated);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }
    }

    private void OnMessage(MqttApplicationMessage message)
    {
        var segments = message.Topic.Split('/');
        var topicDevice = segments.Length == 5 ? segments[3] : string.Empty;
        lock (_gate)
        {
            _total++;
            _received[topicDevice] = _received.GetValueOrDefault(topicDevice) + 1;
            if (!ReceivedPayloadParser.TryParse(message.Payload, lineProtocol, out var deviceId, out var ts, _metrics))
            {
                _malformed++;
                return;
            }

            if (_seen.Count >= maxDistinct)
            {
                Incomplete = true;
                return;
            }

            if (!_seen.Add((deviceId, ts)))
            {
                return;
            }

            var windowStart = GroundTruthRecorder.WindowStart(ts);
            foreach (var (metric, value) in _metrics)
            {
                var key = new WindowKey(deviceId, metric, windowStart);
                _windows[key] = _windows.TryGetValue(key, out var stats) ? stats.Add(value) : WindowStats.Of(value);
            }
        }
    }
}
