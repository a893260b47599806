using MQTTnet.Protocol;

namespace ReactiveIngest.Mqtt.Settings;

/// <summary>Fluent construction of <see cref="MqttSourceSettings"/>; <see cref="Build"/> validates.</summary>
public sealed class MqttSourceSettingsBuilder
{
    private readonly List<MqttTopicSubscription> _subscriptions = [];
    private MqttConnectionSettings _connection = new();
    private string _name = "mqtt";
    private int _connectionCount = 1;
    private string? _sharedGroup;
    private int _maxInFlight = MqttSourceSettings.DefaultMaxInFlight;
    private int? _receiveMaximum;
    private TimeSpan _sessionExpiry = TimeSpan.FromHours(1);
    private int _bufferSize = 1000;

    /// <summary>The source name used in messages, dead letters and metrics.</summary>
    public MqttSourceSettingsBuilder WithName(string name)
    {
        _name = name;
        return this;
    }

    /// <summary>The broker address.</summary>
    public MqttSourceSettingsBuilder WithBroker(string host, int port)
    {
        _connection = Copy(_connection, host: host, port: port);
        return this;
    }

    /// <summary>The stable client id of the persistent session.</summary>
    public MqttSourceSettingsBuilder WithClientId(string clientId)
    {
        _connection = Copy(_connection, clientId: clientId);
        return this;
    }

    /// <summary>The protocol version.</summary>
    public MqttSourceSettingsBuilder WithProtocol(MqttProtocol protocol)
    {
        _connection = Copy(_connection, protocol: protocol);
        return this;
    }

    /// <summary>Replaces all connection settings at once.</summary>
    public MqttSourceSettingsBuilder WithConnection(MqttConnectionSettings connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        return this;
    }

    /// <summary>User name and password.</summary>
    public MqttSourceSettingsBuilder WithCredentials(string username, string password)
    {
        _connection = Copy(_connection, username: username, password: password, setPassword: true);
        return this;
    }

    /// <summary>User name, and a file holding the password.</summary>
    public MqttSourceSettingsBuilder WithCredentialsFromFile(string username, string passwordFile)
    {
        _connection = Copy(_connection, username: username, passwordFile: passwordFile, setPassword: true);
        return this;
    }

    /// <summary>TLS settings.</summary>
    public MqttSourceSettingsBuilder WithTls(MqttTlsSettings tls)
    {
        _connection = Copy(_connection, tls: tls);
        return this;
    }

    /// <summary>Reconnect backoff: first delay, largest delay, jitter fraction.</summary>
    public MqttSourceSettingsBuilder WithReconnectBackoff(TimeSpan min, TimeSpan max, double jitter = 0.2)
    {
        _connection = Copy(_connection, reconnectMin: min, reconnectMax: max, jitter: jitter);
        return this;
    }

    /// <summary>Adds a topic filter with its QoS.</summary>
    public MqttSourceSettingsBuilder WithTopic(string filter, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce)
    {
        _subscriptions.Add(new MqttTopicSubscription { Filter = filter, Qos = qos });
        return this;
    }

    /// <summary>Consumes over <paramref name="count"/> connections sharing <paramref name="group"/>.</summary>
    public MqttSourceSettingsBuilder WithSharedSubscription(string group, int count)
    {
        _sharedGroup = group;
        _connectionCount = count;
        return this;
    }

    /// <summary>The bound on unacknowledged messages per connection.</summary>
    public MqttSourceSettingsBuilder WithMaxInFlight(int maxInFlight)
    {
        _maxInFlight = maxInFlight;
        return this;
    }

    /// <summary>The MQTT 5 Receive Maximum (at most the in-flight bound).</summary>
    public MqttSourceSettingsBuilder WithReceiveMaximum(int receiveMaximum)
    {
        _receiveMaximum = receiveMaximum;
        return this;
    }

    /// <summary>How long the broker keeps the session after a disconnect (MQTT 5).</summary>
    public MqttSourceSettingsBuilder WithSessionExpiry(TimeSpan expiry)
    {
        _sessionExpiry = expiry;
        return this;
    }

    /// <summary>The buffer between the connections and the stream.</summary>
    public MqttSourceSettingsBuilder WithBufferSize(int size)
    {
        _bufferSize = size;
        return this;
    }

    /// <summary>Builds and validates.</summary>
    /// <exception cref="MqttSettingsException">Lists every invalid setting.</exception>
    public MqttSourceSettings Build()
    {
        var settings = new MqttSourceSettings
        {
            Name = _name,
            Connection = _connection,
            Subscriptions = _subscriptions.ToArray(),
            ConnectionCount = _connectionCount,
            SharedSubscriptionGroup = _sharedGroup,
            MaxInFlight = _maxInFlight,
            ReceiveMaximum = _receiveMaximum,
            SessionExpiry = _sessionExpiry,
            BufferSize = _bufferSize,
        };
        MqttSourceSettingsValidator.ThrowIfInvalid(settings);
        return settings;
    }

    private static MqttConnectionSettings Copy(
        MqttConnectionSettings c,
        string? host = null,
        int? port = null,
        string? clientId = null,
        MqttProtocol? protocol = null,
        string? username = null,
        string? password = null,
        string? passwordFile = null,
        bool setPassword = false,
        MqttTlsSettings? tls = null,
        TimeSpan? reconnectMin = null,
        TimeSpan? reconnectMax = null,
        double? jitter = null) => new()
        {
            Host = host ?? c.Host,
            Port = port ?? c.Port,
            ClientId = clientId ?? c.ClientId,
            Protocol = protocol ?? c.Protocol,
            Tls = tls ?? c.Tls,
            Username = username ?? c.Username,
            Password = setPassword ? password : c.Password,
            PasswordFile = setPassword ? passwordFile : c.PasswordFile,
            KeepAlive = c.KeepAlive,
            ConnectTimeout = c.ConnectTimeout,
            ReconnectMinDelay = reconnectMin ?? c.ReconnectMinDelay,
            ReconnectMaxDelay = reconnectMax ?? c.ReconnectMaxDelay,
            ReconnectJitter = jitter ?? c.ReconnectJitter,
        };
}
