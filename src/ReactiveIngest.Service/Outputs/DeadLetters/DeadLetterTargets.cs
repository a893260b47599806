using System.Globalization;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>The connector settings a dead-letter target is written with, derived from <see cref="DeadLetterOptions"/>.</summary>
public static class DeadLetterTargets
{
    /// <summary>The producer settings of the Kafka target.</summary>
    public static KafkaProducerSettings KafkaSettings(DeadLetterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new KafkaProducerSettings
        {
            BootstrapServers = options.Kafka.BootstrapServers ?? string.Empty,
            Properties = new Dictionary<string, string>(options.Kafka.Properties, StringComparer.Ordinal),
            MaxInFlight = options.MaxInFlight,
        };
    }

    /// <summary>
    /// The publisher settings of the MQTT target for writer number <paramref name="writer"/> (1, 2, …): writer 1 uses the
    /// configured client id, the others append <c>-{writer}</c> so that the broker does not take one writer's session over
    /// for another's.
    /// </summary>
    public static MqttPublisherSettings MqttSettings(DeadLetterOptions options, int writer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(writer, 1);
        var c = options.Mqtt.Connection;
        var clientId = writer == 1 || string.IsNullOrEmpty(c.ClientId) ? c.ClientId : string.Create(CultureInfo.InvariantCulture, $"{c.ClientId}-{writer}");
        return new MqttPublisherSettings
        {
            Connection = new MqttConnectionSettings
            {
                Host = c.Host,
                Port = c.Port,
                ClientId = clientId,
                Protocol = c.Protocol,
                Tls = c.Tls,
                Username = c.Username,
                Password = c.Password,
                PasswordFile = c.PasswordFile,
                KeepAlive = c.KeepAlive,
                ConnectTimeout = c.ConnectTimeout,
                ReconnectMinDelay = c.ReconnectMinDelay,
                ReconnectMaxDelay = c.ReconnectMaxDelay,
                ReconnectJitter = c.ReconnectJitter,
            },
            Qos = options.Mqtt.Qos,
            MaxInFlight = options.MaxInFlight,
        };
    }
}
