using Akka.Streams.Dsl;

namespace ReactiveIngest.Streams.Control;

/// <summary>Entry point for <see cref="ValveStage{T}"/>.</summary>
public static class Valve
{
    /// <summary>A flow that can be closed (stop pulling) or completed downstream without cancelling upstream.</summary>
    public static Flow<T, T, IValveControl> Create<T>() => Flow.FromGraph(new ValveStage<T>());
}
