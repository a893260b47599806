namespace ReactiveIngest.Service.Inputs;

/// <summary>
/// The running side of an input, materialized with its source: stops it so the graph can drain, and reports what the
/// status API, readiness and the in-flight figure need. Thread-safe: read from request threads.
/// </summary>
public interface IInputControl
{
    /// <summary>Completes once the input takes messages (an MQTT source: connected and subscribed); at once when there is nothing to wait for.</summary>
    Task Ready { get; }

    /// <summary>Why the input cannot take messages now (a failed consumer), or null while it can.</summary>
    string? Failure { get; }

    /// <summary>
    /// Messages the input handed to the graph and has not yet been told are done (its own acknowledgement window), or
    /// null when it keeps none (HTTP: requests are answered once queued or journaled).
    /// </summary>
    long? InFlight { get; }

    /// <summary>Messages waiting at the broker for this input, when the broker says (Kafka consumer lag); else null.</summary>
    long? Lag { get; }

    /// <summary>The connector's own counters for the pipeline-health points (field name → value), e.g. <c>reconnects</c>.</summary>
    IReadOnlyList<KeyValuePair<string, long>> Figures { get; }

    /// <summary>Stops taking messages and completes the input's stream; acknowledgements still flow.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
