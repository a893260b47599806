using System.Reflection;
using ReactiveIngest.Service.Api;
using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Demo;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Cli;

/// <summary>Builds the web application the <c>run</c>, <c>demo</c> and <c>validate</c> commands share.</summary>
public static class ServiceHost
{
    /// <summary>
    /// True when this assembly is the process's entry point (<c>dotnet ReactiveIngest.Service.dll</c>), false when another
    /// program hosts it (the tests' WebApplicationFactory), which then gets exceptions as they are and sets paths itself.
    /// </summary>
    public static bool IsProcessEntryPoint => Assembly.GetEntryAssembly() == typeof(ServiceHost).Assembly;

    /// <summary>
    /// Builds the application from <paramref name="hostArguments"/> (configuration overrides), with demo mode when
    /// <paramref name="demo"/>; throws <see cref="InvalidConfigurationException"/> or
    /// <see cref="Microsoft.Extensions.Options.OptionsValidationException"/> naming the keys to fix.
    /// </summary>
    public static WebApplication Build(IReadOnlyList<string> hostArguments, bool demo)
    {
        ArgumentNullException.ThrowIfNull(hostArguments);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. hostArguments] });
        builder.Configuration.AddSecretFiles();
        builder.AddStrictConfiguration();
        builder.AddDemoMode(demo);
        builder.AddServiceDefaults();
        builder.AddIngestPipeline();

        var app = builder.Build();
        app.MapServiceDefaults();
        app.MapDashboard();
        app.MapAnalyticsApi();
        app.MapIngestApi();
        app.MapInfluxWriteApi();
        return app;
    }
}
