using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Producer;

/// <summary>Kafka producer sinks (alerts, dead letters, MQTT → Kafka bridging).</summary>
public static class KafkaSink
{
    /// <summary>
    /// Writes each element and releases its handle once the broker acknowledged the record. The task
    /// completes when upstream completed and every record was delivered; it fails on a failed delivery.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public static Sink<Envelope<T>, Task> Create<T>(KafkaProducerSettings settings, Func<T, KafkaProducerRecord> toRecord) =>
        KafkaFlow.Create(settings, toRecord)
            .ToMaterialized(Sink.ForEach<Envelope<T>>(e => e.Ack.Release()), Keep.Right)
            .MapMaterializedValue(done => (Task)done);
}
