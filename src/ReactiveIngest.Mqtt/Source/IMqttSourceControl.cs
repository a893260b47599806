namespace ReactiveIngest.Mqtt.Source;

/// <summary>The materialized value of <see cref="MqttSource.Create"/>: stop, drain, observe.</summary>
public interface IMqttSourceControl
{
    /// <summary>
    /// Completes when the source stage has stopped and every connection is closed (so the same client id
    /// can connect again without taking over a live session).
    /// </summary>
    Task Completion { get; }

    /// <summary>Completes when every connection has subscribed once (useful before publishing to a new session).</summary>
    Task Subscribed { get; }

    /// <summary>A snapshot of the counters (also published as metrics).</summary>
    MqttSourceStatistics Statistics { get; }

    /// <summary>
    /// Disconnects (with DISCONNECT; the broker keeps the session) and completes the stream at once.
    /// Messages not yet acknowledged are redelivered on the next start with the same client id.
    /// </summary>
    Task StopAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stops taking new messages, lets the ones already taken flow through and be acknowledged (up to
    /// <paramref name="timeout"/>), then disconnects and completes the stream.
    /// </summary>
    Task DrainAndShutdownAsync(TimeSpan timeout, CancellationToken cancellationToken = default);
}
