using ReactiveIngest.Service.Ingest;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>Stops HTTP ingestion: no new requests are queued; the queue drains into the graph.</summary>
internal sealed class InletSourceControl(HttpIngestInlet inlet) : ISourceControl
{
    public Task StopAsync(CancellationToken cancellationToken)
    {
        inlet.Complete();
        return Task.CompletedTask;
    }
}
