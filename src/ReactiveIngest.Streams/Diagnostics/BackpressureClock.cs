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

    /// <summary>Time spent waiting for downstream demand after an element was handed on.</summary>
    public TimeSpan Backpressured => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    /// <summary>Elements that passed.</summary>
    public long Elements => Interlocked.Read(ref _elements);

    internal void Passed() => Interlocked.Increment(ref _elements);

    internal void Waited(long stopwatchTicks) => Interlocked.Add(ref _ticks, stopwatchTicks);
}
