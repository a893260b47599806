// The ReactiveIngest host: `dotnet run --project src/ReactiveIngest.Service` runs the service from
// configuration; `-- demo` runs it with an embedded broker and a simulated fleet.
using ReactiveIngest.Service.Api;
using ReactiveIngest.Service.Hosting;
using ReactiveIngest.Service.Ingest;
using ReactiveIngest.Service.Live;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddLiveView(["10s"]);
builder.AddHttpIngest();

var app = builder.Build();
app.MapServiceDefaults();
app.MapDashboard();
app.MapAnalyticsApi();
app.MapIngestApi();
await app.RunAsync();

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
