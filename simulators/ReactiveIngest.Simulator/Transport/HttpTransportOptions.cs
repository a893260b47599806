namespace ReactiveIngest.Simulator.Transport;

/// <summary>The HTTP transport: batched POSTs to the service's <c>/api/ingest</c>. Scenario key <c>transport.http</c>.</summary>
public sealed class HttpTransportOptions
{
    /// <summary>The service's base address. The load test fills this in when it starts the service.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Sent as <c>X-Api-Key</c> when set.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Messages per request at most (a JSON array, or lines of line protocol). Default 100; keep it ≤ the fleet's in-flight limit.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How long a partly filled batch waits for more messages. Default 5 ms.</summary>
    public double LingerMs { get; set; } = 5;

    /// <summary>Requests in flight over all connections at most. Default 16.</summary>
    public int MaxConcurrentRequests { get; set; } = 16;

    /// <summary>How often one batch is retried after 429 (waiting Retry-After each time) before its messages count as failed. Default 60.</summary>
    public int MaxRetries { get; set; } = 60;

    /// <summary>Problems, each naming the setting.</summary>
    public IEnumerable<string> Validate(string prefix)
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            yield return $"{prefix}.url must be an absolute http(s) address (was '{Url}').";
        }

        if (BatchSize < 1 || LingerMs < 0 || MaxConcurrentRequests < 1 || MaxRetries < 0)
        {
            yield return $"{prefix}: batchSize and maxConcurrentRequests must be ≥ 1, lingerMs and maxRetries ≥ 0.";
        }
    }
}
