using System.Diagnostics.Metrics;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Source;

/// <summary>Entry points for consuming MQTT topics as a stream.</summary>
public static class MqttSource
{
    /// <summary>
    /// A source of the messages on the configured topic filters, each in an envelope whose handle
    /// acknowledges the message to the broker once released (QoS 1/2; QoS 0 messages carry <see cref="AckHandle.None"/>).
    /// Each materialization opens its own connections; materialize it once per client id.
    /// </summary>
    /// <param name="settings">Validated settings (see <see cref="MqttSourceSettingsValidator"/>).</param>
    /// <param name="meterFactory">Creates the meter for the metrics; null uses a plain <see cref="Meter"/>.</param>
    /// <exception cref="MqttSettingsException">The settings are invalid (every problem listed).</exception>
    public static Source<Envelope<RawMessage>, IMqttSourceControl> Create(MqttSourceSettings settings, IMeterFactory? meterFactory = null)
    {
        MqttSourceSettingsValidator.ThrowIfInvalid(settings);
        return Akka.Streams.Dsl.Source.FromGraph(new MqttSourceStage(settings, meterFactory));
    }
}
