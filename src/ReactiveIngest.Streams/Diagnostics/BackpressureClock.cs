using System.Diagnostics;

namespace ReactiveIngest.Streams.Diagnostics;

/// <summary>
/// Total time a point of the graph spent backpressured, written by one <see cref="BackpressureTimerStage{T}"/> and
/// read from any thread. Counts only completed waits (a wait still in progress shows up when it ends). Also tells
/// whether the point's upstream has kept up lately (<see cref="SupplyUnbrokenFor"/>).
/// </summary>
public sealed class BackpressureClock
{
    /// <summary>A wait for upstream at least this long counts as upstream having had nothing to give.</summary>
    public static readonly TimeSpan StarvedAfter = TimeSpan.FromMilliseconds(50);

    private static readonly long StarvedAfterTicks = (long)(StarvedAfter.TotalSeconds * Stopwatch.Frequency);

    private long _ticks;
    private long _elements;
    private long _starvedSince;
    private long _lastStarvedAt = Stopwatch.GetTimestamp();

    /// <summary>Time spent waiting for downstream demand after an element was handed on.</summary>
    public TimeSpan Backpressured => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Elements that passed.</summary>
    public long Elements => Interlocked.Read(ref _elements);

    /// <summary>
    /// How long upstream has kept up: the time since the point last waited <see cref="StarvedAfter"/> or longer for
    /// upstream to deliver, so that it has had an element ready whenever downstream asked (zero while such a wait is
    /// going on). Long while input is queued upstream (journal entries, Kafka records) and downstream takes it slowly
    /// or not at all: a stalled sink. Short or zero for a source that has run dry.
    /// </summary>
    public TimeSpan SupplyUnbrokenFor
    {
        get
        {
            var now = Stopwatch.GetTimestamp();
            var starvedSince = Volatile.Read(ref _starvedSince);
            return starvedSince != 0 && now - starvedSince >= StarvedAfterTicks
                ? TimeSpan.Zero
                : Stopwatch.GetElapsedTime(Volatile.Read(ref _lastStarvedAt), now);
        }
    }

    // The timestamps below have one writer (the timer stage) and are read elsewhere: volatile writes suffice, and the
    // writer reads its own fields plainly, so the hot path adds no locked instruction beyond the element count.

    /// <summary>Downstream asked and the point asked upstream at <paramref name="stopwatchTimestamp"/>.</summary>
    internal void Pulled(long stopwatchTimestamp) => Volatile.Write(ref _starvedSince, stopwatchTimestamp);

    /// <summary>An element passed at <paramref name="stopwatchTimestamp"/>.</summary>
    internal void Passed(long stopwatchTimestamp)
    {
        Interlocked.Increment(ref _elements);
        var starvedSince = _starvedSince;
        Volatile.Write(ref _starvedSince, 0);
        if (starvedSince != 0 && stopwatchTimestamp - starvedSince >= StarvedAfterTicks)
        {
            Volatile.Write(ref _lastStarvedAt, stopwatchTimestamp);
        }
    }

    internal void Waited(long stopwatchTicks) => Interlocked.Add(ref _ticks, stopwatchTicks);
}
