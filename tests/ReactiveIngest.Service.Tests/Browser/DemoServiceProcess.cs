using System.Globalization;
using System.Net;
using System.Reflection;
using ReactiveIngest.Simulator.Servers;

namespace ReactiveIngest.Service.Tests.Browser;

/// <summary>
/// Runs the built service as a user would (<c>dotnet ReactiveIngest.Service.dll demo</c>) from a fresh temporary
/// working directory and without a content root argument, so nothing is found next to the process but the DLL
/// (the dashboard must come from the assembly), with Kestrel on a free loopback port and extra settings on the
/// command line. Ready when <c>/health/live</c> answers; dispose kills it.
/// </summary>
internal sealed class DemoServiceProcess : ServerProcess
{
    /// <summary>Environment variable that overrides where the service DLL is.</summary>
    public const string DllVariable = "REACTIVEINGEST_SERVICE_DLL";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private DemoServiceProcess(IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? environment)
        : base("service")
    {
        _dll = Dll();
        _settings = settings;
        EnvironmentVariables = environment ?? new Dictionary<string, string>();
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The dashboard's address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    /// <inheritdoc />
    protected override IReadOnlyDictionary<string, string> EnvironmentVariables { get; }

    /// <summary>
    /// Starts <c>demo</c> with <paramref name="settings"/> as <c>--key=value</c> arguments and <paramref name="environment"/>
    /// as environment variables, and waits for <c>/health/live</c>.
    /// </summary>
    public static async Task<DemoServiceProcess> StartAsync(
        IReadOnlyDictionary<string, string> settings, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var service = new DemoServiceProcess(settings, environment);
        try
        {
            await service.StartAsync(cancellationToken);
            return service;
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    protected override (string FileName, IReadOnlyList<string> Arguments) Command() =>
        ("dotnet",
        [
            _dll,
            "demo",
            "--ReactiveIngest:Http:Urls=" + BaseAddress.GetLeftPart(UriPartial.Authority),
            "--ReactiveIngest:Journal:Directory=" + Path.Combine(Directory, "journal"),
            .. _settings.Select(kv => $"--{kv.Key}={kv.Value}"),
        ]);

    /// <inheritdoc />
    protected override async Task<bool> IsReadyAsync(CancellationToken cancellationToken)
    {
        using var response = await Http.GetAsync(new Uri(BaseAddress, "health/live"), cancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    /// <summary>The built ReactiveIngest.Service.dll (<see cref="DllVariable"/>, else where this test project builds it).</summary>
    public static string Dll()
    {
        var dll = Environment.GetEnvironmentVariable(DllVariable)
            ?? typeof(DemoServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "ReactiveIngestServiceDll")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where ReactiveIngest.Service.dll is.");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"The service is not built at '{dll}'. Build it (dotnet build tests/ReactiveIngest.Service.Tests -c Release builds it) or set {DllVariable}.", dll);
        }

        return dll;
    }
}
