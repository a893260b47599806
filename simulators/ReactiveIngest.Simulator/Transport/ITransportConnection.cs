namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// One open connection. <see cref="PublishAsync"/> may be called concurrently; the caller bounds how many
/// publishes are in flight. A connection is never reopened: after a drop the caller opens a new one.
/// </summary>
public interface ITransportConnection : IAsyncDisposable
{
    /// <summary>True while the connection is usable.</summary>
    bool IsConnected { get; }

    /// <summary>
    /// Sends one message. Completes true when the server accepted it (QoS 0: written to the socket; QoS 1: PUBACK;
    /// QoS 2: PUBCOMP; Kafka: delivery report; HTTP: 2xx), false when the server answered with a refusal. Throws when
    /// the connection failed, so the message's fate is unknown to the server and the caller may retry it.
    /// </summary>
    /// <param name="topic">The MQTT topic (Kafka: the topic; HTTP: the path).</param>
    /// <param name="key">The device id (the Kafka key).</param>
    /// <param name="payload">The message bytes.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    Task<bool> PublishAsync(string topic, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Closes the connection; <paramref name="graceful"/> false drops it as a network failure would.</summary>
    Task CloseAsync(bool graceful, CancellationToken cancellationToken = default);
}
