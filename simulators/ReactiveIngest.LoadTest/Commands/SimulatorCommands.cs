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
        root.Subcommands.Add(BuildLoadTest());
        return root;
    }

    private static Command BuildLoadTest()
    {
        var command = new Command(
            "loadtest",
            "Full-stack load test: starts (or connects to) Mosquitto / the Kafka mock cluster, influxd and the service (as a child " +
            "process) on loopback, runs the scenario over the chosen transport, waits for the pipeline to drain, compares InfluxDB's " +
            "raw points and 10 s window aggregates with the ground truth, prints a table and writes the JSON report. " +
            "--find-ceiling also measures the QoS 1 ceiling (mosquitto_sub alone vs the whole stack). --kill-service N kills and restarts " +
            "the service under load, --influx-outage SEC stops influxd for a while (reporting the service's memory around it). " +
            "Exits 1 when anything was lost or an aggregate differs.");
        var options = new ScenarioOptions();
        options.AddTo(command);
        var stack = new StackCommandOptions();
        stack.AddTo(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                var scenario = options.Build(parseResult);
                var (_, exitCode) = await FullStackLoadTest.RunAsync(
                    scenario, stack.Stack(parseResult), stack.Ceiling(parseResult), parseResult.GetValue(options.Report), parseResult.GetValue(options.GroundTruth), Console.Out, cancellationToken);
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
