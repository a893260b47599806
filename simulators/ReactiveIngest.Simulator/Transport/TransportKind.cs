namespace ReactiveIngest.Simulator.Transport;

/// <summary>How the simulated devices deliver their messages.</summary>
public enum TransportKind
{
    /// <summary>MQTT (3.1.1 or 5) with QoS 0, 1 or 2.</summary>
    Mqtt = 0,

    /// <summary>Kafka, keyed by device id, with an idempotent producer.</summary>
    Kafka = 1,

    /// <summary>HTTP: batched POSTs to the service's /api/ingest, honouring 429 Retry-After.</summary>
    Http = 2,
}
