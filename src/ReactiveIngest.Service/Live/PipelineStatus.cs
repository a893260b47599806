using System.Collections.Concurrent;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Streams.Deduplication;

namespace ReactiveIngest.Service.Live;

/// <summary>
/// Running totals the pipeline updates and the status line, <c>/api/status</c> and the dashboard read.
/// Counters are updated with interlocked operations from stage threads.
/// </summary>
public sealed class PipelineStatus
{
    private long _received;
    private long _messagesReceived;
    private long _messagesStored;
    private long _messagesDeadLettered;
    private long _deadLetters;
    private long _windowResults;
    private long _lateReadings;
    private long _pointsWritten;
    private long _lastReceived;
    private long _lastSampleTicks = Environment.TickCount64;
    private double _receivedPerSecond;

    // One entry per configured source and window definition: bounded by the configuration, not by the input.
    private readonly ConcurrentDictionary<string, SourceHealth> _sources = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WindowHealth> _windows = new(StringComparer.Ordinal);

    /// <summary>Readings received from all sources, after de-duplication (dropped copies are in <see cref="Duplicates"/>).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>
    /// Messages that entered the graph from every source (an oversize message counts once, as its head). Once nothing is
    /// in flight, this equals <see cref="MessagesStored"/> + <see cref="MessagesDeadLettered"/> + <see cref="MessagesDuplicate"/>:
    /// every message ends in exactly one of the three. A message a restarted graph reads again from the journal counts again.
    /// </summary>
    public long MessagesReceived => Interlocked.Read(ref _messagesReceived);

    /// <summary>Messages with at least one valid, new reading (those readings go on to storage and windows).</summary>
    public long MessagesStored => Interlocked.Read(ref _messagesStored);

    /// <summary>Messages of which nothing went on: each has a dead letter with its reason (and one per further rejected reading).</summary>
    public long MessagesDeadLettered => Interlocked.Read(ref _messagesDeadLettered);

    /// <summary>Messages whose readings were all recent duplicates (dropped by de-duplication).</summary>
    public long MessagesDuplicate => Deduplication.BatchesEmptied;

    /// <summary>The de-duplication stage's totals.</summary>
    public DeduplicationCounters Deduplication { get; } = new();

    /// <summary>Readings dropped as recently seen duplicates.</summary>
    public long Duplicates => Deduplication.Duplicates;

    /// <summary>Messages and readings sent to the dead-letter output.</summary>
    public long DeadLetters => Interlocked.Read(ref _deadLetters);

    /// <summary>Window results emitted.</summary>
    public long WindowResults => Interlocked.Read(ref _windowResults);

    /// <summary>Readings later than the allowed lateness.</summary>
    public long LateReadings => Interlocked.Read(ref _lateReadings);

    /// <summary>Points written to storage.</summary>
    public long PointsWritten => Interlocked.Read(ref _pointsWritten);

    /// <summary>Readings per second over the last sampling interval (see <see cref="Sample"/>).</summary>
    public double ReceivedPerSecond => Volatile.Read(ref _receivedPerSecond);

    /// <summary>The per-source counters, one per configured source.</summary>
    public IReadOnlyCollection<SourceHealth> Sources => [.. _sources.Values.OrderBy(s => s.Name, StringComparer.Ordinal)];

    /// <summary>The per-window counters, one per configured window definition.</summary>
    public IReadOnlyCollection<WindowHealth> Windows => [.. _windows.Values.OrderBy(w => w.Name, StringComparer.Ordinal)];

    /// <summary>The counters of the configured source <paramref name="name"/> (created on first use; a restarted graph keeps counting).</summary>
    public SourceHealth Source(string name) => _sources.GetOrAdd(name, n => new SourceHealth(n));

    /// <summary>The counters of the configured window <paramref name="name"/>.</summary>
    public WindowHealth Window(string name) => _windows.GetOrAdd(name, n => new WindowHealth(n));

    /// <summary>Adds received readings.</summary>
    public void AddReceived(long count) => Interlocked.Add(ref _received, count);

    /// <summary>Counts a message that entered the graph.</summary>
    public void AddMessageReceived() => Interlocked.Increment(ref _messagesReceived);

    /// <summary>Counts a message with readings that passed de-duplication.</summary>
    public void AddMessageStored() => Interlocked.Increment(ref _messagesStored);

    /// <summary>Counts a message that ended as a dead letter.</summary>
    public void AddMessageDeadLettered() => Interlocked.Increment(ref _messagesDeadLettered);

    /// <summary>Adds dead letters.</summary>
    public void AddDeadLetters(long count) => Interlocked.Add(ref _deadLetters, count);

    /// <summary>Adds emitted window results.</summary>
    public void AddWindowResults(long count) => Interlocked.Add(ref _windowResults, count);

    /// <summary>Adds late readings.</summary>
    public void AddLateReadings(long count) => Interlocked.Add(ref _lateReadings, count);

    /// <summary>Adds points written.</summary>
    public void AddPointsWritten(long count) => Interlocked.Add(ref _pointsWritten, count);

    /// <summary>Recomputes <see cref="ReceivedPerSecond"/>; called about once a second.</summary>
    public void Sample()
    {
        var now = Environment.TickCount64;
        var received = Received;
        var elapsed = Math.Max(1, now - Interlocked.Exchange(ref _lastSampleTicks, now));
        var delta = received - Interlocked.Exchange(ref _lastReceived, received);
        Volatile.Write(ref _receivedPerSecond, delta * 1000.0 / elapsed);
    }
}
