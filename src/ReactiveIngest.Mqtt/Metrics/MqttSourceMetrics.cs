using System.Diagnostics.Metrics;

namespace ReactiveIngest.Mqtt.Metrics;

/// <summary>
/// Observable instruments over the per-connection counters of one source (tags: source, connection).
/// Disposing the meter (when it was created here) removes the instruments.
/// </summary>
internal sealed class MqttSourceMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;

    public MqttSourceMetrics(string sourceName, IReadOnlyList<ConnectionCounters> connections, IMeterFactory? meterFactory)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MqttMetricNames.Meter) ?? new Meter(MqttMetricNames.Meter);
        _meter.CreateObservableCounter(MqttMetricNames.Received, () => Measure(c => c.Received), "{message}", "Messages received from the broker");
        _meter.CreateObservableCounter(MqttMetricNames.Acknowledged, () => Measure(c => c.Acknowledged), "{message}", "QoS 1/2 messages acknowledged");
        _meter.CreateObservableUpDownCounter(MqttMetricNames.InFlight, () => Measure(c => c.InFlight), "{message}", "QoS 1/2 messages not yet acknowledged");
        _meter.CreateObservableCounter(MqttMetricNames.Qos0Dropped, () => Measure(c => c.Qos0Dropped), "{message}", "QoS 0 messages dropped on a full buffer");
        _meter.CreateObservableCounter(MqttMetricNames.Reconnects, () => Measure(c => c.Reconnects), "{reconnect}", "Reconnects after a lost connection");

        IEnumerable<Measurement<long>> Measure(Func<ConnectionCounters, long> value) =>
            connections.Select(c => new Measurement<long>(
                value(c),
                new KeyValuePair<string, object?>(MqttMetricNames.SourceTag, sourceName),
                new KeyValuePair<string, object?>(MqttMetricNames.ConnectionTag, c.Index)));
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
