using MQTTnet.Protocol;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Mqtt.Publishing;

/// <summary>Settings of <see cref="MqttPublisher"/>.</summary>
public sealed class MqttPublisherSettings
{
    /// <summary>Broker address, credentials, TLS, reconnect backoff.</summary>
    public MqttConnectionSettings Connection { get; init; } = new();

    /// <summary>The QoS to publish with (default at least once: the handle is released on PUBACK).</summary>
    public MqttQualityOfServiceLevel Qos { get; init; } = MqttQualityOfServiceLevel.AtLeastOnce;

    /// <summary>
    /// How many publishes may await their acknowledgement at once. Above 1, concurrent publishes can reach the broker
    /// in a different order than they came in (the flow still emits in input order); set 1 when order on the wire matters.
    /// </summary>
    public int MaxInFlight { get; init; } = 64;

    /// <summary>All problems, each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        MqttSourceSettingsValidator.ValidateConnection(Connection, "Connection.", errors);
        if (MaxInFlight is < 1 or > ushort.MaxValue)
        {
            errors.Add($"MaxInFlight: must be between 1 and {ushort.MaxValue} (was {MaxInFlight}).");
        }

        if (Qos is not (MqttQualityOfServiceLevel.AtMostOnce or MqttQualityOfServiceLevel.AtLeastOnce or MqttQualityOfServiceLevel.ExactlyOnce))
        {
            errors.Add("Qos: must be 0, 1 or 2.");
        }

        return errors;
    }
}
