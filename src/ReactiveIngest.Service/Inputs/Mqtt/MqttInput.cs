using System.Diagnostics.Metrics;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Service.Inputs.Mqtt;

/// <summary>
/// One MQTT source (<c>ReactiveIngest:Sources:Mqtt:N</c>): QoS 1/2 with manual acknowledgement over a persistent
/// session, journaled by the pipeline, so a message is acknowledged once its journal entry is committed.
/// </summary>
public sealed class MqttInput(MqttSourceDefinition definition, IMeterFactory? meterFactory) : IInput
{
    private readonly IReadingDecoder _decoder = definition.Codec.CreateDecoder();

    /// <summary>The configured source.</summary>
    public MqttSourceDefinition Definition => definition;

    /// <inheritdoc />
    public string Name => definition.Settings.Name;

    /// <inheritdoc />
    public string? Key => definition.Key;

    /// <inheritdoc />
    public IReadingDecoder Decoder => _decoder;

    /// <inheritdoc />
    public int? MaxMessageBytes => definition.Limits.MaxMessageBytes;

    /// <inheritdoc />
    public InputJournaling Journaling => InputJournaling.ByPipeline;

    /// <inheritdoc />
    public bool PartitionsPerTopic => false;

    /// <inheritdoc />
    public Source<Envelope<RawMessage>, IInputControl> Open() =>
        MqttSource.Create(definition.Settings, meterFactory).MapMaterializedValue(c => (IInputControl)new MqttInputControl(c));
}
