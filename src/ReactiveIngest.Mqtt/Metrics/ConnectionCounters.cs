namespace ReactiveIngest.Mqtt.Metrics;

/// <summary>
/// The live counters of one source connection, updated with interlocked operations from the client's
/// threads. Metrics (observable instruments) and <see cref="Source.MqttSourceStatistics"/> both read them.
/// </summary>
internal sealed class ConnectionCounters(int index)
{
    private long _received;
    private long _acknowledged;
    private long _qos0Dropped;
    private long _reconnects;
    private long _inFlight;
    private long _maxInFlightObserved;
    private long _sessionsLost;

    public int Index { get; } = index;

    public long Received => Volatile.Read(ref _received);

    public long Acknowledged => Volatile.Read(ref _acknowledged);

    public long Qos0Dropped => Volatile.Read(ref _qos0Dropped);

    public long Reconnects => Volatile.Read(ref _reconnects);

    public long InFlight => Volatile.Read(ref _inFlight);

    public long MaxInFlightObserved => Volatile.Read(ref _maxInFlightObserved);

    public long SessionsLost => Volatile.Read(ref _sessionsLost);

    public void OnReceived() => Interlocked.Increment(ref _received);

    public void OnAcknowledged() => Interlocked.Increment(ref _acknowledged);

    public void OnQos0Dropped() => Interlocked.Increment(ref _qos0Dropped);

    public void OnReconnect() => Interlocked.Increment(ref _reconnects);

    public void OnSessionLost() => Interlocked.Increment(ref _sessionsLost);

    public void AddInFlight(long delta)
    {
        var now = Interlocked.Add(ref _inFlight, delta);
        var max = Volatile.Read(ref _maxInFlightObserved);
        while (now > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxInFlightObserved, now, max);
            if (seen == max)
            {
                return;
            }

            max = seen;
        }
    }
}
