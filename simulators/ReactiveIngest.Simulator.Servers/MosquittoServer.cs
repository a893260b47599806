using System.Globalization;
using System.Text;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// A real Mosquitto broker on a free loopback port, with persistence in a temporary directory so a
/// restart keeps persistent sessions and queued QoS 1/2 messages.
/// </summary>
public sealed class MosquittoServer : ServerProcess
{
    /// <summary>The command that installs the broker on Debian/Ubuntu.</summary>
    public const string InstallCommand = "sudo apt-get install -y mosquitto mosquitto-clients";

    /// <summary>
    /// Lines for load tests: no persistence, and queue limits raised so the broker's own defaults (1000 queued
    /// messages per client) are not the first thing to drop under a burst.
    /// </summary>
    public static readonly IReadOnlyList<string> LoadTestConfiguration = ["persistence false", "max_queued_messages 100000", "max_inflight_messages 0"];

    /// <summary>
    /// Lines for a load test on Mosquitto's default limits (1000 queued and 20 in-flight messages per client): only
    /// persistence is off, as in <see cref="LoadTestConfiguration"/>.
    /// </summary>
    public static readonly IReadOnlyList<string> DefaultLimitsConfiguration = ["persistence false"];

    private readonly string _binary;
    private readonly IReadOnlyList<string> _extraConfiguration;

    /// <summary>Creates (does not start) a broker. <paramref name="extraConfiguration"/> lines are appended to mosquitto.conf.</summary>
    public MosquittoServer(IEnumerable<string>? extraConfiguration = null)
        : base("mosquitto")
    {
        _binary = BinaryLocator.Require("mosquitto", InstallCommand);
        _extraConfiguration = extraConfiguration?.ToList() ?? [];
        Port = FreePort.Next();
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "data"));
    }

    /// <summary>The loopback port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The path of the generated configuration file.</summary>
    public string ConfigurationFile => Path.Combine(Directory, "mosquitto.conf");

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments) Command() => (_binary, ["-c", ConfigurationFile]);

    /// <inheritdoc />
    protected override void WriteConfiguration()
    {
        var config = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"listener {Port} 127.0.0.1")
            .AppendLine("allow_anonymous true")
            // Started as root (CI), mosquitto would switch to the 'mosquitto' user and could not write its
            // persistence file into our temporary directory; keep the identity of whoever started it.
            .AppendLine(CultureInfo.InvariantCulture, $"user {Environment.UserName}")
            .AppendLine("persistence true")
            .AppendLine(CultureInfo.InvariantCulture, $"persistence_location {Path.Combine(Directory, "data")}/")
            .AppendLine("autosave_interval 1")
            .AppendLine("log_dest stderr")
            .AppendLine("log_type error")
            .AppendLine("log_type warning")
            .AppendLine("log_type notice")
            .AppendLine("log_type information")
            .AppendLine("connection_messages true");
        foreach (var line in _extraConfiguration)
        {
            config.AppendLine(line);
        }

        File.WriteAllText(ConfigurationFile, config.ToString());
    }

    /// <inheritdoc />
    protected override Task<bool> IsReadyAsync(CancellationToken cancellationToken) => CanConnectAsync(Port, cancellationToken);
}
