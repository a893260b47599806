namespace ReactiveIngest.Streams.Control;

/// <summary>Controls a <see cref="ValveStage{T}"/>.</summary>
public interface IValveControl
{
    /// <summary>Stops pulling from upstream; nothing already emitted is affected. Idempotent.</summary>
    void Close();

    /// <summary>Stops pulling and completes downstream, without cancelling upstream. Idempotent.</summary>
    void CompleteDownstream();
}
