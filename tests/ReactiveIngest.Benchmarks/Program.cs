using ReactiveIngest.Benchmarks.Pipeline;

namespace ReactiveIngest.Benchmarks;

internal static class Program
{
    /// <summary>
    /// Console harnesses take a leading switch (<c>--harness</c>, <c>--mqtt-lossless</c>, …); anything else goes to
    /// BenchmarkDotNet (<c>--filter '*Decoder*'</c>).
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "--harness":
                return await Harness.RunAsync(args);
            case "--window-breakdown":
                return await WindowBreakdown.RunAsync(args);
            case "--journal":
                return await Journal.JournalHarness.RunAsync(args[1..]);
            case "--mqtt-lossless":
                return await Mqtt.MqttLosslessRateHarness.RunAsync(args[1..]);
            case "--kafka":
            case "kafka":
                return await Kafka.KafkaThroughputHarness.RunAsync(args[1..]);
            case "--influx-stage":
            case "influx-stage":
                await Influx.InfluxStageHarness.RunAsync(args[1..]);
                return 0;
            case "--influx-write":
            case "influx-write":
                await Influx.InfluxWriteHarness.RunAsync(args[1..]);
                return 0;
            default:
                BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
                return 0;
        }
    }
}
