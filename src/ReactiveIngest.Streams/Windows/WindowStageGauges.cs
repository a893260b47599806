using ReactiveIngest.Core.Windows;

namespace ReactiveIngest.Streams.Windows;

/// <summary>
/// What a <see cref="WindowAggregateStage"/> holds, published by the stage on every tick (and at completion) so
/// metrics and health snapshots can read it from any thread: open windows, series, windows evicted early by the
/// open-window limit, and messages whose acknowledgement waits for a window.
/// </summary>
public sealed class WindowStageGauges
{
    private long _openWindows;
    private long _series;
    private long _evictedWindows;
    private long _pendingMessages;

    /// <summary>Windows held now.</summary>
    public long OpenWindows => Interlocked.Read(ref _openWindows);

    /// <summary>Series (key + window definition) held now.</summary>
    public long Series => Interlocked.Read(ref _series);

    /// <summary>Windows closed early because the open-window limit was reached, since start.</summary>
    public long EvictedWindows => Interlocked.Read(ref _evictedWindows);

    /// <summary>Messages whose acknowledgement waits for a window to be emitted and written.</summary>
    public long PendingMessages => Interlocked.Read(ref _pendingMessages);

    /// <summary>Publishes the engine's counters and the ledger's size.</summary>
    public void Publish(in WindowCounters counters, int pendingMessages)
    {
        Interlocked.Exchange(ref _openWindows, counters.OpenWindows);
        Interlocked.Exchange(ref _series, counters.Keys);
        Interlocked.Exchange(ref _evictedWindows, counters.EvictedWindows);
        Interlocked.Exchange(ref _pendingMessages, pendingMessages);
    }
}
