using System.Globalization;
using System.Net;
using System.Reflection;
using ReactiveIngest.Simulator.Servers;

namespace ReactiveIngest.Service.Tests.Browser;

/// <summary>
/// Runs the built service as a user would (<c>dotnet ReactiveIngest.Service.dll demo</c>, content root the project
/// folder as with <c>dotnet run</c>) with Kestrel on a free loopback port and extra settings on the command line.
/// Ready when <c>/health/live</c> answers; dispose kills it.
/// </summary>
internal sealed class DemoServiceProcess : ServerProcess
{
    /// <summary>Environment variable that overrides where the service DLL is.</summary>
    public const string DllVariable = "REACTIVEINGEST_SERVICE_DLL";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dll;
    private readonly string _contentRoot;
    private readonly IReadOnlyDictionary<string, string> _settings;

    private DemoServiceProcess(IReadOnlyDictionary<string, string> settings)
        : base("service")
    {
        (_dll, _contentRoot) = Locate();
        _settings = settings;
        BaseAddress = new Uri($"http://127.0.0.1:{FreePort.Next().ToString(CultureInfo.InvariantCulture)}/");
    }

    /// <summary>The dashboard's address, e.g. <c>http://127.0.0.1:40123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <inheritdoc />
    protected override TimeSpan StartTimeout => TimeSpan.FromSeconds(90);

    /// <summary>Starts <c>demo</c> with <paramref name="settings"/> as <c>--key=value</c> arguments and waits for <c>/health/live</c>.</summary>
    public static async Task<DemoServiceProcess> StartAsync(IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var service = new DemoServiceProcess(settings);
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
            "--contentRoot=" + _contentRoot,
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

    private static (string Dll, string ContentRoot) Locate()
    {
        var metadata = typeof(DemoServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToList();
        var dll = Environment.GetEnvironmentVariable(DllVariable)
            ?? metadata.FirstOrDefault(a => a.Key == "ReactiveIngestServiceDll")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where ReactiveIngest.Service.dll is.");
        var contentRoot = metadata.FirstOrDefault(a => a.Key == "ReactiveIngestServiceContentRoot")?.Value
            ?? throw new InvalidOperationException("The test assembly does not say where the service's content root is.");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"The service is not built at '{dll}'. Build it (dotnet build tests/ReactiveIngest.Service.Tests -c Release builds it) or set {DllVariable}.", dll);
        }

        if (!File.Exists(Path.Combine(contentRoot, "wwwroot", "index.html")))
        {
            throw new FileNotFoundException($"The dashboard page is not at '{contentRoot}/wwwroot/index.html'.");
        }

        return (dll, contentRoot);
    }
}
