namespace ReactiveIngest.Benchmarks;
internal static class Program
{
    public static async Task Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "influx-write")
        {
            await Influx.InfluxWriteHarness.RunAsync(args[1..]);
            return;
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
