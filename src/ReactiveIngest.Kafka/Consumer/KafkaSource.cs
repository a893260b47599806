using Akka;
using Akka.Streams.Dsl;
using Confluent.Kafka;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Kafka.Consumer;

/// <summary>Kafka sources over Confluent.Kafka.</summary>
public static class KafkaSource
{
    /// <summary>
    /// A consumer-group source whose offsets are committed only for released handles (at-least-once).
    /// See <see cref="KafkaSourceStage"/> for the contract.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public static Source<Envelope<RawMessage>, IKafkaControl> Committable(KafkaConsumerSettings settings)
    {
        Validate(settings);
        return Source.FromGraph(new KafkaSourceStage(settings));
    }

    /// <summary>
    /// Like <see cref="Committable"/>, but with one substream per assigned partition: emits each partition
    /// together with a source of its records when it is assigned, and completes that source when the
    /// partition is revoked or lost. See <see cref="KafkaPartitionedSourceStage"/> for the contract.
    /// </summary>
    /// <exception cref="ArgumentException">The settings are invalid; the message lists every problem.</exception>
    public static Source<(TopicPartition Partition, Source<Envelope<RawMessage>, NotUsed> Records), IKafkaControl> CommittablePartitioned(
        KafkaConsumerSettings settings)
    {
        Validate(settings);
        return Source.FromGraph(new KafkaPartitionedSourceStage(settings));
    }

    private static void Validate(KafkaConsumerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Kafka consumer settings: " + string.Join(" ", errors), nameof(settings));
        }
    }
}
