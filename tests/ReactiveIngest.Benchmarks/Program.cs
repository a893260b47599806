using ReactiveIngest.Benchmarks.Pipeline;

namespace ReactiveIngest.Benchmarks;

internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--harness")
        {
            return await Harness.RunAsync(args);
        }

        BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
