namespace ReactiveIngest.Service.Pipeline;

/// <summary>Stops a source so the graph can drain: no new messages, acknowledgements still flow.</summary>
public interface ISourceControl
{
    /// <summary>Stops taking messages and completes the source's stream.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
