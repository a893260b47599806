namespace ReactiveIngest.Kafka.Consumer;

/// <summary>
/// Counts released handles across partitions and, once per batch, tells the stage that a commit is
/// due (the count half of "batched by count and time"). Thread-safe, allocation-free per release.
/// </summary>
internal sealed class ReleaseSignal
{
    private readonly int _batchSize;
    private long _released;
    private long _releasedAtRearm;
    private int _armed = 1;

    public ReleaseSignal(int batchSize) => _batchSize = batchSize;

    /// <summary>Set by the stage once it has started (an async callback into the stage).</summary>
    public Action? CommitDue { get; set; }

    /// <summary>Handles released so far.</summary>
    public long Released => Volatile.Read(ref _released);

    public void OnReleased()
    {
        var released = Interlocked.Increment(ref _released);
        if (released - Volatile.Read(ref _releasedAtRearm) >= _batchSize && Interlocked.Exchange(ref _armed, 0) == 1)
        {
            CommitDue?.Invoke();
        }
    }

    /// <summary>Called by the stage when it collects releases for a commit.</summary>
    public void Rearm()
    {
        Volatile.Write(ref _releasedAtRearm, Interlocked.Read(ref _released));
        Volatile.Write(ref _armed, 1);
    }
}
