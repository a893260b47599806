namespace ReactiveIngest.Kafka.Consumer;

/// <summary>The live counters behind <see cref="KafkaSourceStatistics"/>; updated from both threads.</summary>
internal sealed class KafkaSourceCounters
{
    private long _received;
    private readonly SingleWriterCounter _emitted = new(); // the stage's hot-path counter, on its own object
    private long _droppedOnRevoke;
    private long _whilePaused;
    private long _duplicates;
    private long _peakWaiting;
    private long _pausedNow;
    private long _pauses;
    private long _resumes;
    private long _commits;
    private long _commitFailures;
    private long _assigned;
    private long _revoked;
    private long _lost;
    private long _clientErrors;
    private string? _lastClientError;

    public void Received(int count) => Interlocked.Add(ref _received, count);

    /// <summary>Stage thread only.</summary>
    public void Emitted() => _emitted.Increment();

    public void DroppedOnRevoke(int count) => Interlocked.Add(ref _droppedOnRevoke, count);

    public void WhilePaused() => Interlocked.Increment(ref _whilePaused);

    public void Duplicate() => Interlocked.Increment(ref _duplicates);

    public void ObservePartitionWaiting(int waiting)
    {
        var peak = Volatile.Read(ref _peakWaiting);
        while (waiting > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakWaiting, waiting, peak);
            if (seen == peak)
            {
                return;
            }

            peak = seen;
        }
    }

    public void Paused()
    {
        Interlocked.Increment(ref _pauses);
        Interlocked.Increment(ref _pausedNow);
    }

    public void Resumed()
    {
        Interlocked.Increment(ref _resumes);
        Interlocked.Decrement(ref _pausedNow);
    }

    public void PauseForgotten() => Interlocked.Decrement(ref _pausedNow);

    public void Committed() => Interlocked.Increment(ref _commits);

    public void CommitFailed() => Interlocked.Increment(ref _commitFailures);

    public void PartitionsAssigned(int count) => Interlocked.Add(ref _assigned, count);

    public void PartitionsRevoked(int count) => Interlocked.Add(ref _revoked, count);

    public void PartitionsLost(int count) => Interlocked.Add(ref _lost, count);

    public void ClientError(string reason)
    {
        Interlocked.Increment(ref _clientErrors);
        Volatile.Write(ref _lastClientError, reason);
    }

    public KafkaSourceStatistics Snapshot(long released, long waitingNow) => new(
        Interlocked.Read(ref _received),
        _emitted.Value,
        released,
        Interlocked.Read(ref _droppedOnRevoke),
        Interlocked.Read(ref _whilePaused),
        Interlocked.Read(ref _duplicates),
        waitingNow,
        Interlocked.Read(ref _peakWaiting),
        Interlocked.Read(ref _pausedNow),
        Interlocked.Read(ref _pauses),
        Interlocked.Read(ref _resumes),
        Interlocked.Read(ref _commits),
        Interlocked.Read(ref _commitFailures),
        Interlocked.Read(ref _assigned),
        Interlocked.Read(ref _revoked),
        Interlocked.Read(ref _lost),
        Interlocked.Read(ref _clientErrors),
        Volatile.Read(ref _lastClientError));
}
