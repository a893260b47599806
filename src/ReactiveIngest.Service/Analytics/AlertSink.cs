using System.Collections.Immutable;
using System.Reactive.Linq;
using Akka.Streams.Dsl;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Transforms;

namespace ReactiveIngest.Service.Analytics;

/// <summary>
/// Evaluates the alert rules on each batch and publishes the alert events to their targets.
/// <para><b>Acknowledgement.</b> Each incoming batch carries one reference of its source message's handle for this
/// branch. Every alert event derived from the batch takes one more reference (taken before the branch's own is
/// given back, so the count cannot reach zero in between), and that reference is released only when the broker has
/// acknowledged the event: MQTT PUBACK (QoS 1) or PUBCOMP (QoS 2), or a successful Kafka delivery report (the
/// producer is idempotent with acks=all). So a source message is acknowledged to its broker only once its alerts are
/// durable at the target, besides its raw points and windows: delivery is at least once. After a crash the message is
/// redelivered and evaluated again, so an event may be published twice (consumers drop duplicates by rule, device,
/// state and timestampNs).</para>
/// <para><b>Bounds.</b> Rule state is per device, at most <see cref="AlertRuleDefinition.MaxDevices"/> per rule.
/// Events of one batch are at most one per reading and rule. Each target has at most its MaxInFlight publishes
/// awaiting acknowledgement; beyond that the sink backpressures, and so does the whole pipeline: an unreachable
/// target stops intake (the MQTT publisher reconnects with backoff) rather than losing alerts.</para>
/// <para><b>Limits.</b> Alarm state is in memory: after a restart a device starts un-alarmed, so an alarm raised
/// before the restart is cleared without a cleared event unless the value crosses the raise level again.</para>
/// </summary>
public static class AlertSink
{
    /// <summary>
    /// A sink that evaluates <paramref name="catalog"/>'s rules and publishes their events; its task completes when
    /// upstream completed and every event was acknowledged, and fails when a target fails.
    /// </summary>
    /// <param name="catalog">Validated targets and rules (at least one target).</param>
    /// <param name="onTargetFailed">Called with the target's name when its publisher fails.</param>
    /// <param name="counters">Counts events produced and acknowledged by their target, when given.</param>
    public static Sink<Envelope<ReadingBatch>, Task> Create(AlertCatalog catalog, Action<string, Exception>? onTargetFailed = null, AlertCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        if (catalog.Targets.Count == 0)
        {
            throw new ArgumentException("At least one alert target is required.", nameof(catalog));
        }

        var rules = catalog.Rules;
        var alerts = RxTransform.Create<Envelope<ReadingBatch>, Envelope<PendingAlert[]>>(batches => Observable.Using(
                () => new ReadingRouter<PendingAlert>(rules.Select(r => r.ToRoute())),
                router => batches.Select(e => new Envelope<PendingAlert[]>(router.Push(e.Payload), e.Ack))))
            .Via(Acked.Split<PendingAlert[], PendingAlert>(events => events))
            .Select(e => Counted(e, counters))
            .MapMaterializedValue(_ => ImmutableList<Task>.Empty);

        var targets = catalog.Targets;
        for (var i = 0; i < targets.Count - 1; i++)
        {
            var index = i;
            alerts = alerts.DivertToMaterialized(TargetSink(targets[i], onTargetFailed), e => e.Payload.Target == index, (tasks, task) => tasks.Add(task));
        }

        return alerts.ToMaterialized(TargetSink(targets[^1], onTargetFailed), (tasks, task) => Task.WhenAll(tasks.Add(task)));
    }

    private static Envelope<PendingAlert> Counted(Envelope<PendingAlert> envelope, AlertCounters? counters)
    {
        if (counters is null)
        {
            return envelope;
        }

        // The event's own handle counts the target's acknowledgement, then gives back the source's reference.
        var alert = envelope.Payload;
        counters.Produced(alert.Event);
        return Acked.WhenReleased(envelope, () => counters.Published(alert.Event));
    }

    private static Sink<Envelope<PendingAlert>, Task> TargetSink(ConfiguredAlertTarget target, Action<string, Exception>? onFailed)
    {
        var sink = target.Mqtt is { } mqtt
            ? Flow.Create<Envelope<PendingAlert>>()
                .Select(e => new Envelope<MqttOutgoingMessage>(new MqttOutgoingMessage(e.Payload.Topic, e.Payload.Payload), e.Ack))
                .ToMaterialized(MqttPublisher.Sink(mqtt), Keep.Right)
                .MapMaterializedValue(done => (Task)done)
            : KafkaSink.Create<PendingAlert>(target.Kafka!, a => new KafkaProducerRecord(a.Topic, a.Event.DeviceId, a.Payload));
        return sink.MapMaterializedValue(done =>
        {
            if (onFailed is not null)
            {
                _ = done.ContinueWith(
                    t => onFailed(target.Name, t.Exception!.GetBaseException()),
                    CancellationToken.None,
                    TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default);
            }

            return done;
        });
    }
}
