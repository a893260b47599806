using Akka;
using Akka.Streams.Dsl;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Publishing;

/// <summary>
/// Publishes envelopes to MQTT (alerts, dead letters). Each envelope's handle is released once the broker
/// has acknowledged the publish (PUBACK for QoS 1, PUBCOMP for QoS 2, sent for QoS 0). A lost connection is
/// re-established with backoff and the message published again, so delivery is at least once.
/// </summary>
public static class MqttPublisher
{
    /// <summary>
    /// A flow that publishes each message and emits it once acknowledged, in input order.
    /// <para><b>Emits when</b> the broker acknowledged the publish of the oldest pending message.</para>
    /// <para><b>Backpressures when</b> <see cref="MqttPublisherSettings.MaxInFlight"/> publishes await acknowledgement, or downstream backpressures.</para>
    /// <para><b>Completes when</b> upstream completes and every pending publish is acknowledged.</para>
    /// <para><b>Cancels when</b> downstream cancels; the connection is closed.</para>
    /// </summary>
    /// <exception cref="MqttSettingsException">Invalid settings (every problem listed).</exception>
    public static Flow<Envelope<MqttOutgoingMessage>, MqttOutgoingMessage, NotUsed> Flow(MqttPublisherSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var errors = settings.Validate();
        if (errors.Count > 0)
        {
            throw new MqttSettingsException(errors);
        }

        return Akka.Streams.Dsl.Flow.Setup((_, _) =>
        {
            var connection = new MqttPublisherConnection(settings);
            return Akka.Streams.Dsl.Flow.Create<Envelope<MqttOutgoingMessage>>()
                .SelectAsync(settings.MaxInFlight, async envelope =>
                {
                    await connection.PublishAsync(envelope.Payload).ConfigureAwait(false);
                    envelope.Ack.Release();
                    return envelope.Payload;
                })
                .WatchTermination((mat, done) =>
                {
                    _ = done.ContinueWith(_ => connection.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
                    return mat;
                });
        }).MapMaterializedValue(_ => NotUsed.Instance);
    }

    /// <summary>A sink that publishes each message; its task completes when upstream completed and everything was acknowledged.</summary>
    /// <exception cref="MqttSettingsException">Invalid settings (every problem listed).</exception>
    public static Sink<Envelope<MqttOutgoingMessage>, Task<Done>> Sink(MqttPublisherSettings settings) =>
        Flow(settings).ToMaterialized(Akka.Streams.Dsl.Sink.Ignore<MqttOutgoingMessage>(), Keep.Right);
}
