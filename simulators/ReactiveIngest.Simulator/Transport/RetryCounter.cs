namespace ReactiveIngest.Simulator.Transport;

/// <summary>A thread-safe counter of retried requests.</summary>
public sealed class RetryCounter
{
    private long _count;

    /// <summary>Retries so far.</summary>
    public long Count => Interlocked.Read(ref _count);

    internal void Increment() => Interlocked.Increment(ref _count);
}
