using System.Globalization;

namespace ReactiveIngest.Mqtt.Settings;

/// <summary>
/// Everything <see cref="Source.MqttSource.Create"/> needs: the connection, the subscriptions, and the
/// bounds that give backpressure. Build with <see cref="MqttSourceSettingsBuilder"/> or bind from
/// configuration and check with <see cref="MqttSourceSettingsValidator"/>.
/// </summary>
public sealed class MqttSourceSettings
{
    /// <summary>The configuration section name.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>The source name carried in <c>RawMessage.Source</c>, dead letters and metric tags.</summary>
    public string Name { get; init; } = "mqtt";

    /// <summary>Broker address, credentials, TLS, reconnect backoff.</summary>
    public MqttConnectionSettings Connection { get; init; } = new();

    /// <summary>The topic filters, each with its QoS.</summary>
    public IReadOnlyList<MqttTopicSubscription> Subscriptions { get; init; } = [];

    /// <summary>
    /// The number of parallel client connections. With more than one, each filter is consumed as a shared
    /// subscription (<c>$share/{SharedSubscriptionGroup}/{filter}</c>) so the broker spreads messages over
    /// the connections; connection i uses client id <c>{ClientId}-{i}</c>.
    /// </summary>
    public int ConnectionCount { get; init; } = 1;

    /// <summary>The shared-subscription group; required when <see cref="ConnectionCount"/> &gt; 1 unless every filter already starts with <c>$share/</c>.</summary>
    public string? SharedSubscriptionGroup { get; init; }

    /// <summary>
    /// The most QoS 1/2 messages one connection holds unacknowledged (received, not yet released and
    /// acknowledged). When reached, the connection stops taking messages until an acknowledgement goes out, and the
    /// broker queues the rest (Mosquitto: at most <c>max_queued_messages</c>, 1,000 by default, then it drops). Default
    /// 32,768: with the service's journal a message is released at its commit, so this only has to cover a few
    /// seconds of hiccups (start-up, GC, a slow commit) at a connection's full rate. Memory: up to this many payloads.
    /// </summary>
    public int MaxInFlight { get; init; } = DefaultMaxInFlight;

    /// <summary>The default of <see cref="MaxInFlight"/>.</summary>
    public const int DefaultMaxInFlight = 32_768;

    /// <summary>The MQTT 5 Receive Maximum announced to the broker (its flow control); at most <see cref="MaxInFlight"/>. Null = <see cref="MaxInFlight"/>.</summary>
    public int? ReceiveMaximum { get; init; }

    /// <summary>How long the broker keeps the session (subscriptions and queued messages) after a disconnect (MQTT 5).</summary>
    public TimeSpan SessionExpiry { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The capacity of the buffer between the connections and the stream. QoS 1/2 messages wait for room
    /// (bounded by <see cref="MaxInFlight"/> per connection); QoS 0 messages that find it full are dropped and counted.
    /// </summary>
    public int BufferSize { get; init; } = 1000;

    /// <summary>The Receive Maximum actually sent.</summary>
    public int EffectiveReceiveMaximum => Math.Min(ReceiveMaximum ?? MaxInFlight, ushort.MaxValue);

    /// <summary>Starts a builder.</summary>
    public static MqttSourceSettingsBuilder Builder() => new();

    /// <summary>The client id of connection <paramref name="index"/>.</summary>
    public string ClientIdFor(int index) =>
        ConnectionCount == 1 ? Connection.ClientId : string.Create(CultureInfo.InvariantCulture, $"{Connection.ClientId}-{index}");

    /// <summary>The filter as subscribed (wrapped in <c>$share/group/</c> when a group is configured).</summary>
    public string EffectiveFilter(MqttTopicSubscription subscription)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        return SharedSubscriptionGroup is null || subscription.Filter.StartsWith("$share/", StringComparison.Ordinal)
            ? subscription.Filter
            : $"$share/{SharedSubscriptionGroup}/{subscription.Filter}";
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"MqttSource {Name}: {Connection}; topics=[{string.Join(", ", Subscriptions)}] connections={ConnectionCount} " +
        $"maxInFlight={MaxInFlight} receiveMaximum={EffectiveReceiveMaximum} sessionExpiry={SessionExpiry} buffer={BufferSize}");
}
