using MQTTnet.Protocol;

namespace ReactiveIngest.Mqtt.Settings;

/// <summary>One topic filter (wildcards and <c>$share/group/filter</c> allowed) with the QoS requested for it.</summary>
public sealed class MqttTopicSubscription
{
    /// <summary>The topic filter, e.g. <c>devices/+/telemetry</c> or <c>$share/ingest/devices/#</c>.</summary>
    public string Filter { get; init; } = string.Empty;

    /// <summary>The maximum QoS the broker should deliver with (default: at least once).</summary>
    public MqttQualityOfServiceLevel Qos { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <inheritdoc />
    public override string ToString() => $"{Filter} (QoS {(int)Qos})";
}
