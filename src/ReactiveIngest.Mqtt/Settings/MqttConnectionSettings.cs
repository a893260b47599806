using System.Globalization;

namespace ReactiveIngest.Mqtt.Settings;

/// <summary>
/// How to reach and log in to a broker, and how to reconnect. Shared by the source and the publisher.
/// The password is never part of <see cref="ToString"/>.
/// </summary>
public sealed class MqttConnectionSettings
{
    /// <summary>The broker host name or address.</summary>
    public string Host { get; init; } = "localhost";

    /// <summary>The broker port (1883 plain, 8883 TLS by convention).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>
    /// The stable client id. The broker keys the persistent session by it, so it must be the same on every
    /// start of the same consumer and unique among consumers.
    /// </summary>
    public string ClientId { get; init; } = string.Empty;

    /// <summary>The protocol version (default MQTT 5).</summary>
    public MqttProtocol Protocol { get; init; } = MqttProtocol.V500;

    /// <summary>TLS settings; null for plain TCP.</summary>
    public MqttTlsSettings? Tls { get; init; }

    /// <summary>The user name, if the broker requires one.</summary>
    public string? Username { get; init; }

    /// <summary>The password, from configuration (prefer <see cref="PasswordFile"/> for secrets mounted as files).</summary>
    public string? Password { get; init; }

    /// <summary>A file whose content (trailing newline removed) is the password; read at each connect.</summary>
    public string? PasswordFile { get; init; }

    /// <summary>The MQTT keep-alive period.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a connect (TCP, TLS and CONNACK) may take.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The first reconnect delay; it doubles per failed attempt.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The largest reconnect delay.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Random spread of each delay, as a fraction of it (0 = none, 0.2 = ±20%).</summary>
    public double ReconnectJitter { get; init; } = 0.2;

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Host}:{Port} client={ClientId} protocol={Protocol} {(Tls is null ? "plain" : Tls.ToString())} " +
        $"user={Username ?? "none"} password={(Password is null && PasswordFile is null ? "none" : "***")}");
}
