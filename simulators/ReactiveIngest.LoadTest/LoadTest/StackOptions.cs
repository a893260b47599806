using System.Globalization;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// How <c>loadtest</c> gets its servers: each one is started on a free loopback port in a temporary directory
/// unless an address to connect to is given.
/// </summary>
public sealed class StackOptions
{
    private TimeSpan? _drainQuiet;

    /// <summary>ReactiveIngest.Service.dll to run as a child process; null: found next to the repository's build output.</summary>
    public string? ServiceDll { get; set; }

    /// <summary>ReactiveIngest.KafkaMockCluster.dll; null: found next to the repository's build output.</summary>
    public string? KafkaClusterDll { get; set; }

    /// <summary>Use this Kafka instead of starting the mock cluster.</summary>
    public string? KafkaBootstrap { get; set; }

    /// <summary>Use this InfluxDB 1.x instead of starting influxd; the load test creates a fresh database in it.</summary>
    public Uri? InfluxUrl { get; set; }

    /// <summary>Use the broker at the scenario's host and port instead of starting Mosquitto.</summary>
    public bool ExternalBroker { get; set; }

    /// <summary>
    /// Start Mosquitto with its default per-client limits (1000 queued, 20 in flight) instead of the raised queue limits
    /// of <see cref="Servers.MosquittoServer.LoadTestConfiguration"/>. A subscriber that falls behind then loses messages
    /// after 1000 queued, as on a broker nobody tuned.
    /// </summary>
    public bool BrokerDefaults { get; set; }

    /// <summary>The configuration lines of a Mosquitto that <c>loadtest</c> starts.</summary>
    public IReadOnlyList<string> BrokerConfiguration =>
        BrokerDefaults ? Servers.MosquittoServer.DefaultLimitsConfiguration : Servers.MosquittoServer.LoadTestConfiguration;

    /// <summary>Which Mosquitto limits a started broker has, for the report: its <c>max_</c> lines, or Mosquitto's defaults when it has none.</summary>
    public string BrokerLimits
    {
        get
        {
            if (ExternalBroker)
            {
                return "external broker";
            }

            var limits = BrokerConfiguration.Where(line => line.StartsWith("max_", StringComparison.Ordinal)).ToList();
            return limits.Count == 0
                ? "mosquitto defaults (max_queued_messages 1000, max_inflight_messages 20)"
                : $"raised ({string.Join(", ", limits)})";
        }
    }

    /// <summary>
    /// Run the service on its own defaults instead of the raised limits of <see cref="RaisedServiceSettings"/>. The
    /// report then says <c>default service settings</c> unless <see cref="ServiceSettings"/> overrides something.
    /// </summary>
    public bool ServiceDefaults { get; set; }

    /// <summary>The size of the service's window whose aggregates are verified (a multiple of 10 s). Default 10 s.</summary>
    public TimeSpan WindowSize { get; set; } = TimeSpan.FromMilliseconds(GroundTruthRecorder.WindowMs);

    /// <summary>The window's name in the service configuration (<c>10s</c>, <c>5m</c>, <c>1h</c>); its aggregates are stored in <c>window_&lt;name&gt;</c>.</summary>
    public string WindowName => WindowSize.TotalSeconds switch
    {
        var s when s % 3600 == 0 => string.Create(CultureInfo.InvariantCulture, $"{s / 3600:0}h"),
        var s when s % 60 == 0 => string.Create(CultureInfo.InvariantCulture, $"{s / 60:0}m"),
        var s => string.Create(CultureInfo.InvariantCulture, $"{s:0}s"),
    };

    /// <summary>Kill the service (SIGKILL) this many times under load and restart it each time. Default 0.</summary>
    public int KillService { get; set; }

    /// <summary>The seed of the kill moments (<see cref="StackFaults.KillSchedule"/>). Default 1.</summary>
    public ulong FaultSeed { get; set; } = 1;

    /// <summary>Stop influxd for this long under load, then start it again on the same data directory and port. Null: no outage.</summary>
    public TimeSpan? InfluxOutage { get; set; }

    /// <summary>
    /// The service settings the load test raises unless <see cref="ServiceDefaults"/> is set: a larger MQTT in-flight
    /// bound (messages stay unacknowledged until their window is written: at rate r the source needs about
    /// r × (window + out-of-orderness + idle timeout) in flight, or it stalls until the wall-clock fallback closes the
    /// windows; 65535 is MQTT's largest bound per connection), a 3 s idle timeout and a 200 ms InfluxDB flush interval.
    /// </summary>
    public static IReadOnlyDictionary<string, string> RaisedServiceSettings(TransportKind transport)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
            ["ReactiveIngest:Pipeline:IdleTimeout"] = "00:00:03",
        };
        if (transport == TransportKind.Mqtt)
        {
            settings["ReactiveIngest:Sources:Mqtt:0:MaxInFlight"] = "65535";
        }

        return settings;
    }

    /// <summary>
    /// For the report: the service settings this run overrides (the raised limits unless <see cref="ServiceDefaults"/>,
    /// then <see cref="ServiceSettings"/>), or <c>default service settings</c> when it overrides none. The wiring every
    /// run needs (InfluxDB address and database, the source, codec, client ids, the verified window, an allowed
    /// lateness that covers the scenario's late readings) is not listed.
    /// </summary>
    public string ServiceSettingsSummary(TransportKind transport)
    {
        var overridden = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (!ServiceDefaults)
        {
            foreach (var (key, value) in RaisedServiceSettings(transport))
            {
                overridden[key] = value;
            }
        }

        foreach (var (key, value) in ServiceSettings)
        {
            overridden[key] = value;
        }

        return overridden.Count == 0
            ? "default service settings"
            : "overridden: " + string.Join(", ", overridden.Select(p => $"{p.Key}={p.Value}"));
    }

    /// <summary>Problems of these options, each naming the command-line option to fix.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (WindowSize <= TimeSpan.Zero || WindowSize.Ticks % TimeSpan.FromMilliseconds(GroundTruthRecorder.WindowMs).Ticks != 0)
        {
            problems.Add($"--window-size must be a positive multiple of 10 s (was {WindowSize}).");
        }

        if (KillService < 0)
        {
            problems.Add($"--kill-service must be >= 0 (was {KillService}).");
        }

        if (InfluxOutage is { } outage && outage <= TimeSpan.Zero)
        {
            problems.Add($"--influx-outage must be > 0 seconds (was {outage.TotalSeconds}).");
        }

        if (InfluxOutage is not null && InfluxUrl is not null)
        {
            problems.Add("--influx-outage stops the influxd the load test started; it cannot be combined with --influx-url.");
        }

        return problems;
    }

    /// <summary>Extra service configuration (keys like <c>ReactiveIngest:Sources:Mqtt:0:MaxInFlight</c>), applied last.</summary>
    public Dictionary<string, string> ServiceSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>How long to wait for the pipeline to drain after sending. Default 120 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Drain ends early when stored counts stop changing for this long. Default 45 s, or 90 s with
    /// <see cref="ServiceDefaults"/>: longer than a service held at its in-flight bound waits for the wall-clock
    /// fallback to close its windows (window size + out-of-orderness + idle timeout: about 18 s with the load test's
    /// raised settings, 45 s with the service's 30 s default idle timeout), so such a stall is not mistaken for loss.
    /// </summary>
    public TimeSpan DrainQuiet
    {
        get => _drainQuiet ?? TimeSpan.FromSeconds(ServiceDefaults ? 90 : 45);
        set => _drainQuiet = value;
    }

    /// <summary>
    /// When set, each run writes the service's last log lines (and its <c>/metrics</c> text as the drain ended) to
    /// <c>service-&lt;database&gt;.log</c> in this directory, so a stalled or lossy step can be read afterwards.
    /// </summary>
    public string? ServiceLogDirectory { get; set; }
}
