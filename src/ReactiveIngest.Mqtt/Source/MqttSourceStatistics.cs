namespace ReactiveIngest.Mqtt.Source;

/// <summary>Counters of a source, summed over its connections.</summary>
/// <param name="Received">Messages received (all QoS).</param>
/// <param name="Acknowledged">QoS 1/2 messages acknowledged to the broker.</param>
/// <param name="InFlight">QoS 1/2 messages received and not yet acknowledged, now.</param>
/// <param name="MaxInFlightObserved">The highest in-flight count any single connection has reached.</param>
/// <param name="Qos0Dropped">QoS 0 messages dropped because the buffer was full.</param>
/// <param name="Reconnects">Reconnects after a lost connection.</param>
/// <param name="SessionsLost">Reconnects where the broker no longer had our session.</param>
public readonly record struct MqttSourceStatistics(
    long Received,
    long Acknowledged,
    long InFlight,
    long MaxInFlightObserved,
    long Qos0Dropped,
    long Reconnects,
    long SessionsLost);
