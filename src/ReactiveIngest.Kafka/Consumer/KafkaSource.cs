using Akka.Streams.Dsl;
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
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid Kafka consumer settings: " + string.Join(" ", errors), nameof(settings));
        }

        return Source.FromGraph(new KafkaSourceStage(settings));
    }
}
