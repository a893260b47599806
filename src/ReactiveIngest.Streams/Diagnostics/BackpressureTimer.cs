using Akka;
using Akka.Streams.Dsl;

namespace ReactiveIngest.Streams.Diagnostics;

/// <summary>Entry points of <see cref="BackpressureTimerStage{T}"/>.</summary>
public static class BackpressureTimer
{
    /// <summary>A pass-through flow that measures how long its upstream is backpressured into <paramref name="clock"/>.</summary>
    public static Flow<T, T, NotUsed> Create<T>(BackpressureClock clock) => Flow.FromGraph(new BackpressureTimerStage<T>(clock));
}
