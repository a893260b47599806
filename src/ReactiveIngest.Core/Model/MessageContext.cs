namespace ReactiveIngest.Core.Model;

/// <summary>
/// What a codec knows about a message besides its payload: where it came from and when it arrived.
/// </summary>
/// <param name="Topic">The MQTT topic or Kafka topic (empty for HTTP).</param>
/// <param name="ReceivedAtNs">Broker or ingest time in epoch nanoseconds, the fallback event time.</param>
/// <param name="Key">The Kafka record key, when there is one.</param>
public readonly record struct MessageContext(string Topic, long ReceivedAtNs, string? Key = null);
