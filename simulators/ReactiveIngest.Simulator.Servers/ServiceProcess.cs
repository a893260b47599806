using System.Globalization;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// The ReactiveIngest service run as a child process (<c>dotnet ReactiveIngest.Service.dll</c>), configured only by
/// environment variables (<c>ReactiveIngest__…</c>), its HTTP API on a free loopback port. Ready when
/// <c>/health/ready</c> answers 200 (sources connected, InfluxDB reachable). Its CPU time and peak RSS are read
/// from the process (<see cref="ServerProcess.CpuTime"/>, <see cref="ServerProcess.PeakRssBytes"/>).
/// </summary>
public sealed class ServiceProcess : ServerProcess
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _dll;
    private readonly Dictionary<string, string> _environment;

    /// <summary>Creates (does not start) the service from <paramref name="dll"/> with <paramref name="configuration"/> (keys like <c>ReactiveIngest:Influx:Url</c>).</summary>
    public ServiceProcess(string dll, IReadOnlyDictionary<string, string> configuration)
        : base("service")
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"The service is not at '{dll}'. Build it with `dotnet build src/ReactiveIngest.Service -c Release`, or pass --service-dll.", dll);
        }

        _dll = dll;
        HttpPort = FreePort.Next();
        _environment = configuration.ToDictionary(kv => kv.Key.Replace(":", "__", StringComparison.Ordinal), kv => kv.Value, StringComparer.Ordinal);
        _environment["ReactiveIngest__Http__Urls"] = BaseAddress.ToString().TrimEnd('/');
        _environment.TryAdd("Logging__LogLevel__Default", "Warning");

        // The journal lives with the process's files, never in a directory another service could share.
        _environment.TryAdd("ReactiveIngest__Journal__Directory", Path.Combine(Directory, "journal"));
    }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int HttpPort { get; }

    /// <summary>The API base address.</summary>
    public Uri BaseAddress => new(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{HttpPort}/"));

    /// <inheritdoc />
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(120);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> EnvironmentVariables => _environment;

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments) Command() => ("dotnet", [_dll]);

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(BaseAddress, "health/ready"), cancellationToken);
        return response.IsSuccessStatusCode;
    }
}
