using System.Globalization;
using Akka.Actor;
using ReactiveIngest.Streams.Decoding;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>
/// Console mode: <c>--harness [messages] [iterations] [decode-parallelism]</c>. Runs the workload a few times after a
/// warm-up and prints readings/s and readings per CPU-second for each run, and the load average before and after.
/// Decode parallelism defaults to <see cref="DecodeFlow.DefaultParallelism"/> (the service's default); 1 decodes on
/// the stream's thread.
/// </summary>
public static class Harness
{
    /// <summary>Runs the harness; returns the process exit code (1 when a run loses an acknowledgement or a reading).</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var messages = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
        var iterations = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 3;
        var parallelism = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : DecodeFlow.DefaultParallelism;
        Console.WriteLine($"load average before: {LoadAverage()}; {Environment.ProcessorCount} cores; server GC: {System.Runtime.GCSettings.IsServerGC}; decode parallelism: {parallelism}");
        var workload = new PipelineWorkload(messages);
        using var system = ActorSystem.Create("harness", "akka.loglevel = WARNING");
        var warmup = await new PipelineWorkload(100_000).RunAsync(system, parallelism);
        Console.WriteLine($"warm-up: {warmup}");
        var exit = 0;
        var runs = new List<PipelineRun>();
        for (var i = 0; i < iterations; i++)
        {
            var run = await workload.RunAsync(system, parallelism);
            runs.Add(run);
            Console.WriteLine($"run {i + 1}: {run}");
            if (run.AcknowledgedMessages != run.Messages || run.WindowedReadings + run.LateReadings != run.Readings)
            {
                Console.WriteLine("ERROR: acknowledgements or readings were lost");
                exit = 1;
            }
        }

        var median = runs.OrderBy(r => r.ReadingsPerSecond).ElementAt(runs.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median: {median.ReadingsPerSecond:N0} readings/s, {median.ReadingsPerCpuSecond:N0} readings/CPU-s"));
        Console.WriteLine($"load average after: {LoadAverage()}");
        await system.Terminate();
        return exit;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
}
