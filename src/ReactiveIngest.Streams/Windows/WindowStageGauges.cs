using ReactiveIngest.Core.Windows;

namespace ReactiveIngest.Streams.Windows;

/// <summary>
/// What a <see cref="WindowAggregateStage"/> holds, published by the stage on every tick (and at completion) so
/// metrics and health snapshots can read it from any thread: open windows, series, windows evicted early by the
/// open-window limit, messages whose acknowledgement waits for a window, and the window-progress counters.
/// </summary>
public sealed class WindowStageGauges
{
    private long _openWindows;
    private long _series;
    private long _evictedWindows;
    private long _pendingMessages;
    private long _replayedFinal;
    private long _progressSaveFailures;
    private long _untrackedPartitions;

    /// <summary>Windows held now.</summary>
    public long OpenWindows => Interlocked.Read(ref _openWindows);

    /// <summary>Series (key + window definition) held now.</summary>
    public long Series => Interlocked.Read(ref _series);

    /// <summary>Windows closed early because the open-window limit was reached, since start.</summary>
    public long EvictedWindows => Interlocked.Read(ref _evictedWindows);

    /// <summary>Messages whose acknowledgement waits for a window to be emitted and written.</summary>
    public long PendingMessages => Interlocked.Read(ref _pendingMessages);

    /// <summary>Replayed readings not folded because their windows were already final by the saved progress, since start.</summary>
    public long ReplayedFinal => Interlocked.Read(ref _replayedFinal);

    /// <summary>Window progress saves that failed and were retried, since start.</summary>
    public long ProgressSaveFailures => Interlocked.Read(ref _progressSaveFailures);

    /// <summary>Partitions beyond the progress limit, processed without persisted progress.</summary>
    public long UntrackedPartitions => Interlocked.Read(ref _untrackedPartitions);

    /// <summary>Publishes the engine's counters and the ledger's size.</summary>
    public void Publish(in WindowCounters counters, int pendingMessages, long progressSaveFailures = 0, int untrackedPartitions = 0)
    {
        Interlocked.Exchange(ref _replayedFinal, counters.ReadingsReplayedFinal);
        Interlocked.Exchange(ref _progressSaveFailures, progressSaveFailures);
        Interlocked.Exchange(ref _untrackedPartitions, untrackedPartitions);
        Interlocked.Exchange(ref _openWindows, counters.OpenWindows);
        Interlocked.Exchange(ref _series, counters.Keys);
        Interlocked.Exchange(ref _evictedWindows, counters.EvictedWindows);
        Interlocked.Exchange(ref _pendingMessages, pendingMessages);
    }
}
