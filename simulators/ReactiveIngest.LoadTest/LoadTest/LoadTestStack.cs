using System.Globalization;
using ReactiveIngest.Simulator.Payloads;
using ReactiveIngest.Simulator.Scenarios;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// The servers of one load test: Mosquitto (MQTT transport), the Kafka mock cluster (Kafka transport) and influxd,
/// each started on free loopback ports in temporary directories unless <see cref="StackOptions"/> names one to use,
/// and the service, started per database as a child process configured by environment variables. Everything
/// started here is stopped and its files deleted on dispose.
/// </summary>
public sealed class LoadTestStack : IAsyncDisposable
{
    /// <summary>The service's own allowed lateness; the load test sets a longer one only when the scenario's late readings need it.</summary>
    private static readonly TimeSpan DefaultAllowedLateness = TimeSpan.FromSeconds(30);

    private readonly Scenario _scenario;
    private readonly StackOptions _options;
    private readonly TextWriter _output;
    private MosquittoServer? _broker;
    private InfluxServer? _influx;
    private KafkaMockClusterProcess? _kafka;

    private LoadTestStack(Scenario scenario, StackOptions options, TextWriter output)
    {
        _scenario = scenario;
        _options = options;
        _output = output;
    }

    /// <summary>InfluxDB's base address.</summary>
    public Uri InfluxUrl { get; private set; } = new("http://127.0.0.1:8086/");

    /// <summary>The broker's port (MQTT transport).</summary>
    public int BrokerPort => _scenario.Transport.Port;

    /// <summary>Starts (or connects to) what <paramref name="scenario"/>'s transport needs, and points the scenario at it.</summary>
    public static async Task<LoadTestStack> StartAsync(Scenario scenario, StackOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var stack = new LoadTestStack(scenario, options, output);
        try
        {
            await stack.StartServersAsync(cancellationToken);
            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a fresh database named <paramref name="prefix"/>_&lt;random&gt; and returns its name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix, CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid().ToString("N")[..12]}";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var content = new FormUrlEncodedContent(new Dictionary<string, string> { ["q"] = $"CREATE DATABASE \"{name}\"" });
        using var response = await http.PostAsync(new Uri(InfluxUrl, "query"), content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return name;
    }

    /// <summary>Starts the service writing into <paramref name="database"/>, reading from the scenario's transport; waits until it is ready.</summary>
    public async Task<ServiceProcess> StartServiceAsync(string database, CancellationToken cancellationToken = default)
    {
        var dll = _options.ServiceDll ?? BuildOutput.Find("src", "ReactiveIngest.Service")
                  ?? throw new FileNotFoundException("ReactiveIngest.Service.dll was not found; build it (`dotnet build src/ReactiveIngest.Service -c Release`) or pass --service-dll.");
        var run = Guid.NewGuid().ToString("N")[..8];
        var codec = _scenario.Fleet.Format == PayloadFormat.LineProtocol ? "lineprotocol" : "json";
        var lateness = TimeSpan.FromMilliseconds(Math.Max(30_000, _scenario.Faults.LateByMs + 10_000));
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ReactiveIngest:Influx:Url"] = InfluxUrl.ToString(),
            ["ReactiveIngest:Influx:Database"] = database,
            ["ReactiveIngest:Pipeline:Windows:0:Name"] = _options.WindowName,
            ["ReactiveIngest:Pipeline:Windows:0:Size"] = _options.WindowSize.ToString("c", CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Http:Enabled"] = "true",
        };
        if (lateness > DefaultAllowedLateness)
        {
            settings["ReactiveIngest:Pipeline:AllowedLateness"] = lateness.ToString("c", CultureInfo.InvariantCulture);
        }

        switch (_scenario.Transport.Kind)
        {
            case TransportKind.Mqtt:
                settings["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:loadtest";
                settings["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = _scenario.Transport.Host;
                settings["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = _scenario.Transport.Port.ToString(CultureInfo.InvariantCulture);
                settings["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"loadtest-{run}";
                settings["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = "sites/+/devices/+/telemetry";
                // Each run has its own client id; a short expiry lets the broker forget the sessions of earlier runs.
                // A run that kills the service needs the session to outlive each restart, so the broker keeps (and
                // redelivers) what the killed service had not acknowledged.
                settings["ReactiveIngest:Sources:Mqtt:0:SessionExpiry"] = _options.KillService > 0 ? "00:10:00" : "00:00:30";
                settings["ReactiveIngest:Sources:Mqtt:0:Codec"] = codec;
                break;
            case TransportKind.Kafka:
                settings["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = _scenario.Transport.Kafka.BootstrapServers;
                settings["ReactiveIngest:Sources:Kafka:0:GroupId"] = $"loadtest-{run}";
                settings["ReactiveIngest:Sources:Kafka:0:Topics:0"] = _scenario.Transport.Kafka.Topic;
                settings["ReactiveIngest:Sources:Kafka:0:Codec"] = codec;
                if (_options.KillService > 0)
                {
                    // A killed consumer leaves the group only when the coordinator stops hearing from it; with
                    // librdkafka's 45 s session timeout the restarted service would wait that long for its partitions.
                    settings["ReactiveIngest:Sources:Kafka:0:Properties:session.timeout.ms"] = "6000";
                }

                break;
            case TransportKind.Http:
                break;
        }

        if (!_options.ServiceDefaults)
        {
            foreach (var (key, value) in StackOptions.RaisedServiceSettings(_scenario.Transport.Kind))
            {
                settings[key] = value;
            }
        }

        foreach (var (key, value) in _options.ServiceSettings)
        {
            settings[key] = value;
        }

        if (_scenario.Transport.Kind == TransportKind.Mqtt)
        {
            IsolateSharedSubscription(settings, run);
        }

        var service = new ServiceProcess(dll, settings);
        try
        {
            await service.StartAsync(cancellationToken);
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        if (_scenario.Transport.Kind == TransportKind.Http)
        {
            _scenario.Transport.Http.Url = service.BaseAddress.ToString().TrimEnd('/');
        }

        return service;
    }

    /// <summary>
    /// Gives each run's service its own shared-subscription group. Every run connects with new client ids, and the
    /// sessions of the previous run's connections stay members of their group until they expire; the broker keeps
    /// handing those offline members their round-robin share, so with one group name for all runs a later run would
    /// receive only part of the messages (half, after a run with as many connections).
    /// </summary>
    private static void IsolateSharedSubscription(Dictionary<string, string> settings, string run)
    {
        const string Prefix = "ReactiveIngest:Sources:Mqtt:0:";
        var connections = settings.TryGetValue(Prefix + "ConnectionCount", out var count) && int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 1;
        if (settings.TryGetValue(Prefix + "SharedSubscriptionGroup", out var group))
        {
            settings[Prefix + "SharedSubscriptionGroup"] = $"{group}-{run}";
        }
        else if (connections > 1)
        {
            settings[Prefix + "SharedSubscriptionGroup"] = $"loadtest-{run}";
        }
    }

    /// <summary>Stops the influxd this stack started (SIGTERM), keeping its data directory and port, as an outage would.</summary>
    public async Task StopInfluxAsync()
    {
        var influx = _influx ?? throw new InvalidOperationException("The load test did not start influxd (--influx-url), so it cannot stop it.");
        await influx.StopAsync();
    }

    /// <summary>Starts the stopped influxd again on the same data directory and port; waits until it answers.</summary>
    public async Task StartInfluxAsync(CancellationToken cancellationToken = default)
    {
        var influx = _influx ?? throw new InvalidOperationException("The load test did not start influxd (--influx-url), so it cannot start it.");
        await influx.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }

        if (_influx is not null)
        {
            await _influx.DisposeAsync();
        }

        _kafka?.Dispose();
    }

    private async Task StartServersAsync(CancellationToken cancellationToken)
    {
        if (_options.InfluxUrl is { } influxUrl)
        {
            InfluxUrl = influxUrl;
        }
        else
        {
            _influx = new InfluxServer();
            await _influx.StartAsync(cancellationToken);
            InfluxUrl = _influx.BaseAddress;
            await _output.WriteLineAsync($"started influxd on {InfluxUrl}");
        }

        switch (_scenario.Transport.Kind)
        {
            case TransportKind.Mqtt when !_options.ExternalBroker:
                _broker = new MosquittoServer(_options.BrokerConfiguration);
                await _broker.StartAsync(cancellationToken);
                _scenario.Transport.Host = _broker.Host;
                _scenario.Transport.Port = _broker.Port;
                await _output.WriteLineAsync($"started mosquitto on {_broker.Host}:{_broker.Port}");
                break;
            case TransportKind.Kafka when _options.KafkaBootstrap is { } bootstrap:
                _scenario.Transport.Kafka.BootstrapServers = bootstrap;
                break;
            case TransportKind.Kafka:
                var dll = _options.KafkaClusterDll ?? BuildOutput.Find("tests", "ReactiveIngest.KafkaMockCluster")
                          ?? throw new FileNotFoundException("ReactiveIngest.KafkaMockCluster.dll was not found; build it (`dotnet build tests/ReactiveIngest.KafkaMockCluster -c Release`) or pass --kafka-cluster-dll.");
                _kafka = new KafkaMockClusterProcess(dll);
                await _kafka.StartAsync();
                await _kafka.CreateTopicAsync(_scenario.Transport.Kafka.Topic, _scenario.Transport.Kafka.Partitions);
                _scenario.Transport.Kafka.BootstrapServers = _kafka.BootstrapServers;
                await _output.WriteLineAsync($"started the Kafka mock cluster at {_kafka.BootstrapServers}");
                break;
        }
    }
}
