using System.CommandLine;
using ReactiveIngest.Simulator.LoadTest;

namespace ReactiveIngest.Simulator.Commands;

/// <summary>Builds the command line: <c>fleet</c> and <c>loadtest</c>.</summary>
public static class SimulatorCommands
{
    /// <summary>The root command.</summary>
    public static RootCommand Create()
    {
        var root = new RootCommand("ReactiveIngest device fleet simulator and load-test runner");
        root.Subcommands.Add(Build(
            "fleet",
            "Run simulated devices against an MQTT broker and write what was sent (report and ground truth).",
            verify: false));
        root.Subcommands.Add(Build(
            "loadtest",
            "Precursor of the full-stack load test: runs the fleet against a broker and verifies delivery with its own " +
            "subscriber (lost, duplicates, per-window aggregates). It does not involve the service or InfluxDB yet. " +
            "Exits 1 when anything was lost or an aggregate differs.",
            verify: true));
        return root;
    }

    private static Command Build(string name, string description, bool verify)
    {
        var command = new Command(name, description);
        var options = new ScenarioOptions();
        options.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var scenario = options.Build(parseResult);
                var (_, exitCode) = await SimulatorRun.RunAsync(
                    scenario, verify, parseResult.GetValue(options.Report), parseResult.GetValue(options.GroundTruth), Console.Out, cancellationToken);
                return exitCode;
            }
            catch (ArgumentException e)
            {
                await Console.Error.WriteLineAsync(e.Message);
                return 2;
            }
        });
        return command;
    }
}
