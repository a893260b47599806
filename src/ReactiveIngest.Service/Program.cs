// The ReactiveIngest host: `dotnet run --project src/ReactiveIngest.Service` runs the service from configuration;
// `-- demo` adds an embedded broker and a simulated fleet; `-- validate` checks the configuration; `-- config-reference`
// prints every configuration key as markdown; `-- --help` lists the commands.
using ReactiveIngest.Service.Cli;

return await ServiceCommandLine.InvokeAsync(args);

/// <summary>Entry point; public so the tests' WebApplicationFactory can host it.</summary>
public partial class Program;
