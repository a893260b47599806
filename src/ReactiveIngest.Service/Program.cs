// The ReactiveIngest host. The pipeline, API and demo mode are wired in as their issues land;
// for now it serves liveness so the project builds and runs.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/health/live", () => TypedResults.Ok("live"));
await app.RunAsync();
