using System.CommandLine;
using System.CommandLine.Invocation;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Configuration;

namespace ReactiveIngest.Service.Cli;

/// <summary>
/// The service's command line: <c>run</c> (the default), <c>demo</c>, <c>validate</c>, <c>config-reference</c>, with
/// <c>--help</c> and <c>--version</c>. Arguments a command does not know are configuration overrides for the host
/// (<see cref="HostArguments"/>). Exit codes: <see cref="ExitCodes"/>.
/// </summary>
public static class ServiceCommandLine
{
    private const string Overrides =
        "Configuration overrides follow the command: --Key=value, e.g. --ReactiveIngest:Influx:Url=http://127.0.0.1:8086 " +
        "(also from appsettings.json and environment variables such as ReactiveIngest__Influx__Url).";

    /// <summary>The root command and its subcommands.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand(
            "ReactiveIngest: telemetry ingestion (MQTT, Kafka, HTTP → event-time windows → InfluxDB). Without a command it runs the service, as `run`. " + Overrides)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction((parseResult, _) => RunAsync(parseResult, demo: false));

        var run = HostCommand("run", "Run the service from its configuration (the default).");
        run.SetAction((parseResult, _) => RunAsync(parseResult, demo: false));

        var demo = HostCommand("demo", "Run the service with an embedded MQTT broker, a simulated device fleet and two windows (10 s tumbling, 1 min hopping).");
        demo.SetAction((parseResult, _) => RunAsync(parseResult, demo: true));

        var validate = HostCommand("validate", "Check the configuration without starting anything: prints every problem (one line per key) or \"configuration is valid\"; exit code 0 or 2.");
        var validateDemo = new Option<bool>("--demo") { Description = "Check the configuration `demo` would run with." };
        validate.Options.Add(validateDemo);
        validate.SetAction((parseResult, _) => ValidateAsync(parseResult, parseResult.GetValue(validateDemo)));

        root.Subcommands.Add(run);
        root.Subcommands.Add(demo);
        root.Subcommands.Add(validate);
        root.Subcommands.Add(ConfigurationReferenceCommand.Create());
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        error ??= Console.Error;
        var parseResult = Create().Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            foreach (var problem in parseResult.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("See --help.");
            return ExitCodes.InvalidUsage;
        }

        var configuration = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error,
            // Exceptions reach the caller (the WebApplicationFactory needs the host's own), and the host handles Ctrl+C and
            // SIGTERM itself, draining the pipeline, instead of being cut off after a fixed timeout.
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration);
    }

    private static Command HostCommand(string name, string description) =>
        new(name, description + " Configuration overrides (--Key=value) follow the command.") { TreatUnmatchedTokensAsErrors = false };

    private static async Task<int> RunAsync(ParseResult parseResult, bool demo) =>
        await Guarded(parseResult, async (hostArguments, _) =>
        {
            await using var app = ServiceHost.Build(hostArguments, demo);
            await app.RunAsync();
            return ExitCodes.Success;
        });

    private static async Task<int> ValidateAsync(ParseResult parseResult, bool demo) =>
        await Guarded(parseResult, async (hostArguments, output) =>
        {
            await using var app = ServiceHost.Build(hostArguments, demo);
            app.Services.GetService<IStartupValidator>()?.Validate();
            await output.WriteLineAsync("configuration is valid");
            return ExitCodes.Success;
        });

    /// <summary>
    /// Checks the host arguments, then runs <paramref name="action"/>; as the process's entry point, a configuration
    /// error becomes one line per key and exit code 2, any other failure exit code 1.
    /// </summary>
    private static async Task<int> Guarded(ParseResult parseResult, Func<IReadOnlyList<string>, TextWriter, Task<int>> action)
    {
        var error = parseResult.InvocationConfiguration.Error;
        var hostArguments = parseResult.UnmatchedTokens;
        var usage = HostArguments.Problems(hostArguments);
        if (usage.Count > 0)
        {
            foreach (var problem in usage)
            {
                await error.WriteLineAsync(problem);
            }

            await error.WriteLineAsync("See --help.");
            return ExitCodes.InvalidUsage;
        }

        try
        {
            return await action(hostArguments, parseResult.InvocationConfiguration.Output);
        }
        catch (Exception e) when (ServiceHost.IsProcessEntryPoint && ConfigurationErrors.Of(e) is { } problems)
        {
            ConfigurationErrors.Write(problems, error);
            return ExitCodes.InvalidUsage;
        }
        catch (Exception e) when (ServiceHost.IsProcessEntryPoint)
        {
            await error.WriteLineAsync($"ReactiveIngest stopped on an error: {e}");
            return ExitCodes.Failure;
        }
    }
}
