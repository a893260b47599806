namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>HTTP ingestion's control: stopping takes no new requests; what is queued drains into the graph.</summary>
internal sealed class HttpInputControl(HttpIngestInlet inlet) : IInputControl
{
    public Task Ready => Task.CompletedTask;

    public string? Failure => null;

    // Requests are answered once queued (or journaled); the journal's pending entries are counted by the pipeline.
    public long? InFlight => null;

    public long? Lag => null;

    public IReadOnlyList<KeyValuePair<string, long>> Figures => [];

    public Task StopAsync(CancellationToken cancellationToken)
    {
        inlet.Complete();
        return Task.CompletedTask;
    }
}
