namespace ReactiveIngest.Service.Live;

/// <summary>
/// Whether an ingest graph runs right now, and if not, why and when the next one is expected. Written by
/// the pipeline service (which restarts a failed graph with backoff), read by readiness and by the
/// HTTP write endpoints, which answer 503 with Retry-After while no graph runs instead of accepting what no graph
/// would read.
/// </summary>
public sealed class GraphState
{
    private readonly Lock _gate = new();
    private bool _running;
    private string _reason = "the pipeline has not started";
    private TimeSpan _retryAfter = TimeSpan.FromSeconds(1);
    private long _restarts;
    private string? _lastFailure;

    /// <summary>True while a graph is materialized and has not ended.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _running;
            }
        }
    }

    /// <summary>Why no graph runs (the last failure, or "stopping"); null while one runs.</summary>
    public string? StoppedReason
    {
        get
        {
            lock (_gate)
            {
                return _running ? null : _reason;
            }
        }
    }

    /// <summary>How long a client should wait before retrying while no graph runs (the remaining restart backoff, at least 1 s).</summary>
    public TimeSpan RetryAfter
    {
        get
        {
            lock (_gate)
            {
                return _retryAfter;
            }
        }
    }

    /// <summary>Graphs started after a failure, since the service started.</summary>
    public long Restarts => Interlocked.Read(ref _restarts);

    /// <summary>The last failure that ended a graph (kept while the next one runs); null when none failed.</summary>
    public string? LastFailure
    {
        get
        {
            lock (_gate)
            {
                return _lastFailure;
            }
        }
    }

    /// <summary>A graph was materialized.</summary>
    public void Started(bool afterFailure)
    {
        lock (_gate)
        {
            _running = true;
        }

        if (afterFailure)
        {
            Interlocked.Increment(ref _restarts);
        }
    }

    /// <summary>The graph failed; the next one starts after <paramref name="retryAfter"/>.</summary>
    public void Failed(string reason, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            _running = false;
            _reason = $"the pipeline graph failed ({reason}); restarting in {retryAfter.TotalSeconds:0.#} s";
            _lastFailure = reason;
            _retryAfter = retryAfter < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : retryAfter;
        }
    }

    /// <summary>The service is stopping or has stopped: no graph will run again.</summary>
    public void Stopped(string reason)
    {
        lock (_gate)
        {
            _running = false;
            _reason = reason;
            _retryAfter = TimeSpan.FromSeconds(1);
        }
    }
}
