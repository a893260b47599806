using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Inputs.Kafka;

/// <summary>
/// One Kafka source (<c>ReactiveIngest:Sources:Kafka:N</c>): a committable consumer whose offsets are committed only
/// for released records, so it is not journaled (the topic is its log).
/// </summary>
public sealed class KafkaInput(KafkaSourceDefinition definition) : IInput
{
    private readonly IReadingDecoder _decoder = definition.Codec.CreateDecoder();

    /// <summary>The configured source.</summary>
    public KafkaSourceDefinition Definition => definition;

    /// <inheritdoc />
    public string Name => definition.Settings.EffectiveSourceName;

    /// <inheritdoc />
    public string? Key => definition.Key;

    /// <inheritdoc />
    public IReadingDecoder Decoder => _decoder;

    /// <inheritdoc />
    public int? MaxMessageBytes => definition.Limits.MaxMessageBytes;

    /// <inheritdoc />
    public InputJournaling Journaling => InputJournaling.None;

    /// <inheritdoc />
    public bool PartitionsPerTopic => true;

    /// <inheritdoc />
    public Source<Envelope<RawMessage>, IInputControl> Open() =>
        KafkaSource.Committable(definition.Settings).MapMaterializedValue(c => (IInputControl)new KafkaInputControl(c));
}
