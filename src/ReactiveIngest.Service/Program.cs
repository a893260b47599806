// The ReactiveIngest host: `dotnet run --project src/ReactiveIngest.Service` runs the service from
// configuration; `-- demo` adds an embedded broker and a simulated fleet; `-- config-reference` prints every
// configuration key as markdown.
using ReactiveIngest.Service.Api;
using ReactiveIngest.Service.Configuration;
using ReactiveIngest.Service.Demo;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Ingest;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

if (ConfigurationReferenceCommand.IsRequested(args))
{
    return ConfigurationReferenceCommand.Run(args, Console.Out);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddDemoMode(args);
builder.AddServiceDefaults();
builder.AddIngestPipeline();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDashboard();
app.MapAnalyticsApi();
app.MapIngestApi();
app.MapInfluxWriteApi();
await app.RunAsync();
return 0;

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
