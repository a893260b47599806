// The ReactiveIngest host: `dotnet run --project src/ReactiveIngest.Service` runs the service from
// configuration; `-- demo` runs it with an embedded broker and a simulated fleet.
using ReactiveIngest.Service.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
