using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Producer;

/// <summary>Kafka producer flows: write, then pass the envelope on once the broker acknowledged it.</summary>
public static class KafkaFlow
{
    /// <summary>
    /// Writes each element as the record <paramref name="toRecord"/> makes and emits its envelope after
    /// a successful delivery report. See <see cref="KafkaProducerStage{T}"/> for the contract.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public static Flow<Envelope<T>, Envelope<T>, NotUsed> Create<T>(KafkaProducerSettings settings, Func<T, KafkaProducerRecord> toRecord)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(toRecord);
        settings.ThrowIfInvalid();
        return Flow.FromGraph(new KafkaProducerStage<T>(settings, toRecord));
    }
}
