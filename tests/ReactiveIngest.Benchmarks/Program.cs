namespace ReactiveIngest.Benchmarks;
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--mqtt-lossless")
        {
            return await Mqtt.MqttLosslessRateHarness.RunAsync(args[1..]);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
