namespace ReactiveIngest.Benchmarks;
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["kafka", .. var kafkaArgs])
        {
            return await Kafka.KafkaThroughputHarness.RunAsync(kafkaArgs);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
