using System.Diagnostics;

namespace ReactiveIngest.Streams.Diagnostics;

/// <summary>
/// Total time a point of the graph spent backpressured, written by one <see cref="BackpressureTimerStage{T}"/> and
/// read from any thread. Counts only completed waits (a wait still in progress shows up when it ends).
/// </summary>
public sealed class BackpressureClock
{
    private long _ticks;
    private long _elements;
    private long _waitingSince;

    /// <summary>Time spent waiting for downstream demand after an element was handed on.</summary>
    public TimeSpan Backpressured => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Elements that passed.</summary>
    public long Elements => Interlocked.Read(ref _elements);

    /// <summary>
    /// How long the element handed on last has been waiting for downstream demand, now; zero while the point is not
    /// backpressured (downstream has asked for the next element, which upstream has not delivered yet).
    /// </summary>
    public TimeSpan CurrentWait
    {
        get
        {
            var since = Interlocked.Read(ref _waitingSince);
            return since == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(since);
        }
    }

    internal void Passed(long stopwatchTimestamp)
    {
        Interlocked.Increment(ref _elements);
        Interlocked.Exchange(ref _waitingSince, stopwatchTimestamp);
    }

    internal void Waited(long stopwatchTicks)
    {
        Interlocked.Exchange(ref _waitingSince, 0);
        Interlocked.Add(ref _ticks, stopwatchTicks);
    }
}
