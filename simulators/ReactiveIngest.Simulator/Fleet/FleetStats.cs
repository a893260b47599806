namespace ReactiveIngest.Simulator.Fleet;

/// <summary>Live counters of a fleet run (thread-safe).</summary>
public sealed class FleetStats
{
    private long _attempted;
    private long _accepted;
    private long _refused;
    private long _failed;
    private long _connects;
    private long _connectFailures;
    private long _dropouts;
    private long _stormDrops;
    private long _discarded;

    /// <summary>Publishes started.</summary>
    public long Attempted => Interlocked.Read(ref _attempted);

    /// <summary>Publishes the broker accepted.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Publishes the broker refused (reason code).</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Publishes that failed with the connection (kept for retry when buffering is on).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Successful connects (initial and re-).</summary>
    public long Connects => Interlocked.Read(ref _connects);

    /// <summary>Failed connect attempts.</summary>
    public long ConnectFailures => Interlocked.Read(ref _connectFailures);

    /// <summary>Connections dropped by a device dropout.</summary>
    public long Dropouts => Interlocked.Read(ref _dropouts);

    /// <summary>Connections dropped by reconnect storms.</summary>
    public long StormDrops => Interlocked.Read(ref _stormDrops);

    /// <summary>Readings discarded while offline.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    internal void OnAttempt() => Interlocked.Increment(ref _attempted);

    internal void OnAccepted() => Interlocked.Increment(ref _accepted);

    internal void OnRefused() => Interlocked.Increment(ref _refused);

    internal void OnFailed() => Interlocked.Increment(ref _failed);

    internal void OnConnect() => Interlocked.Increment(ref _connects);

    internal void OnConnectFailure() => Interlocked.Increment(ref _connectFailures);

    internal void OnDropout() => Interlocked.Increment(ref _dropouts);

    internal void OnStormDrop() => Interlocked.Increment(ref _stormDrops);

    internal void OnDiscarded() => Interlocked.Increment(ref _discarded);
}
