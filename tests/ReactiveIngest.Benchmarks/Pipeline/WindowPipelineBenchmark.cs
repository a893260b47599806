using Akka.Actor;
using BenchmarkDotNet.Attributes;

namespace ReactiveIngest.Benchmarks.Pipeline;

/// <summary>
/// BenchmarkDotNet view of the pipeline workload: one operation = one reading through decode → validate →
/// 10 s tumbling window → aggregates in an Akka graph.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class WindowPipelineBenchmark
{
    private const int Messages = 300_000;
    private PipelineWorkload _workload = null!;
    private ActorSystem _system = null!;

    /// <summary>Decoding threads: 1 decodes on the stream's thread; 2 is the default on this 2-core machine.</summary>
    [Params(1, 2)]
    public int DecodeParallelism { get; set; }

    /// <summary>Generates the payloads and starts the actor system.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _workload = new PipelineWorkload(Messages);
        _system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
    }

    /// <summary>Stops the actor system.</summary>
    [GlobalCleanup]
    public void Cleanup() => _system.Terminate().Wait();

    /// <summary>900,000 readings per invocation.</summary>
    [Benchmark(OperationsPerInvoke = Messages * PipelineWorkload.MetricsPerMessage)]
    public Task<PipelineRun> Decode_validate_window_aggregate() => _workload.RunAsync(_system, DecodeParallelism);
}
