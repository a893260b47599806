namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// How <c>loadtest</c> gets its servers: each one is started on a free loopback port in a temporary directory
/// unless an address to connect to is given.
/// </summary>
public sealed class StackOptions
{
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

    /// <summary>Extra service configuration (keys like <c>ReactiveIngest:Sources:Mqtt:0:MaxInFlight</c>), applied last.</summary>
    public Dictionary<string, string> ServiceSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>How long to wait for the pipeline to drain after sending. Default 120 s.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>
    /// Drain ends early when stored counts stop changing for this long. Default 45 s: longer than a service held at its
    /// in-flight bound waits for the wall-clock fallback to close its windows (window size + out-of-orderness + idle
    /// timeout, about 18 s with the load test's settings), so such a stall is not mistaken for loss.
    /// </summary>
    public TimeSpan DrainQuiet { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>
    /// When set, each run writes the service's last log lines (and its <c>/metrics</c> text as the drain ended) to
    /// <c>service-&lt;database&gt;.log</c> in this directory, so a stalled or lossy step can be read afterwards.
    /// </summary>
    public string? ServiceLogDirectory { get; set; }
}
