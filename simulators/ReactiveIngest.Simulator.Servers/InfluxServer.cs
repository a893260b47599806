using System.Globalization;
using System.Text;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// A real InfluxDB 1.x (<c>influxd</c>) with its meta, data and WAL in a temporary directory, its HTTP API
/// on a free loopback port, and every other listener disabled or on loopback.
/// </summary>
public sealed class InfluxServer : ServerProcess
{
    /// <summary>The command that installs InfluxDB on Debian/Ubuntu.</summary>
    public const string InstallCommand = "sudo apt-get install -y influxdb influxdb-client";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _binary;

    /// <summary>Creates (does not start) a server.</summary>
    public InfluxServer()
        : base("influxd")
    {
        _binary = BinaryLocator.Require("influxd", InstallCommand);
        HttpPort = FreePort.Next();
        RpcPort = FreePort.Next();
    }

    /// <summary>The HTTP API port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The RPC (backup/restore) port on 127.0.0.1.</summary>
    public int RpcPort { get; }

    /// <summary>The HTTP API base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}/");

    /// <summary>The path of the generated configuration file.</summary>
    public string ConfigurationFile => Path.Combine(Directory, "influxdb.conf");

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments) Command() => (_binary, ["run", "-config", ConfigurationFile]);

    /// <inheritdoc />
    protected override void WriteConfiguration()
    {
        var dir = Directory;
        var config = new StringBuilder()
            .AppendLine("reporting-disabled = true")
            .AppendLine(CultureInfo.InvariantCulture, $"bind-address = \"127.0.0.1:{RpcPort}\"")
            .AppendLine("[meta]")
            .AppendLine(CultureInfo.InvariantCulture, $"  dir = \"{dir}/meta\"")
            .AppendLine("[data]")
            .AppendLine(CultureInfo.InvariantCulture, $"  dir = \"{dir}/data\"")
            .AppendLine(CultureInfo.InvariantCulture, $"  wal-dir = \"{dir}/wal\"")
            .AppendLine("  query-log-enabled = false")
            .AppendLine("[monitor]")
            .AppendLine("  store-enabled = false")
            .AppendLine("[http]")
            .AppendLine("  enabled = true")
            .AppendLine(CultureInfo.InvariantCulture, $"  bind-address = \"127.0.0.1:{HttpPort}\"")
            .AppendLine("  log-enabled = false")
            .AppendLine("  auth-enabled = false")
            .AppendLine("[continuous_queries]")
            .AppendLine("  enabled = false")
            .AppendLine("[subscriber]")
            .AppendLine("  enabled = false");
        File.WriteAllText(ConfigurationFile, config.ToString());
    }

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(BaseAddress, "ping"), cancellationToken);
        return (int)response.StatusCode == 204;
    }

    /// <summary>Runs an InfluxQL statement (CREATE DATABASE, SELECT …) and returns the raw JSON answer.</summary>
    public async Task<string> QueryAsync(string influxQl, string? database = null, CancellationToken cancellationToken = default, string? epoch = null)
    {
        var form = new Dictionary<string, string> { ["q"] = influxQl };
        if (epoch is not null)
        {
            form["epoch"] = epoch;
        }

        if (database is not null)
        {
            form["db"] = database;
        }

        using var content = new FormUrlEncodedContent(form);
        using var response = await Http.PostAsync(new Uri(BaseAddress, "query"), content, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"influxd answered {(int)response.StatusCode}: {body}");
        }

        return body;
    }

    /// <summary>Creates a database with a unique name and returns the name.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await QueryAsync($"CREATE DATABASE \"{name}\"", cancellationToken: cancellationToken);
        return name;
    }
}
