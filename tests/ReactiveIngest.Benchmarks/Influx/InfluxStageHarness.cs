using System.Diagnostics;
using System.Globalization;
using System.Net;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Benchmarks.Influx;

/// <summary>
/// Console harness: CPU time and allocated bytes per point of <see cref="InfluxWriteStage"/> (batching, encoding, the
/// write-order bookkeeping and handle release) with an in-memory HTTP handler that answers 204 at once, so no network
/// or server time is in the figures. Raw-reading points with distinct identities, batches of 5,000, 2 concurrent
/// writes, no gzip.
/// Run: <c>dotnet tests/ReactiveIngest.Benchmarks/bin/Release/net10.0/ReactiveIngest.Benchmarks.dll influx-stage [points] [rounds]</c>.
/// </summary>
internal static class InfluxStageHarness
{
    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
        var points = new LinePoint[total];
        for (var i = 0; i < total; i++)
        {
            points[i] = ReadingPointMapper.Default.Map(new Reading($"device-{i % 10_000}", "temperature", 1_700_000_000_000_000_000L + (i * 1_000_000L), 20 + (i % 97 / 7.0)));
        }

        using var system = ActorSystem.Create("influx-stage", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        var cpu = new List<double>();
        var bytes = new List<double>();
        Console.WriteLine($"{total:N0} points, batches of 5,000, 2 concurrent writes, {rounds} rounds (+1 warm-up)");
        for (var round = 0; round <= rounds; round++)
        {
            var (cpuNs, allocated, rate) = await RoundAsync(points, materializer);
            if (round == 0)
            {
                continue;
            }

            cpu.Add(cpuNs);
            bytes.Add(allocated);
            Console.WriteLine($"round {round}: {cpuNs:F0} ns CPU/point, {allocated:F1} B allocated/point, {rate:N0} points/s");
        }

        Console.WriteLine($"median: {InfluxWriteHarness.Median(cpu):F0} ns CPU/point, {InfluxWriteHarness.Median(bytes):F1} B allocated/point");
    }

    private static async Task<(double CpuNs, double Bytes, double Rate)> RoundAsync(LinePoint[] points, IMaterializer materializer)
    {
        using var http = new HttpClient(new NoContentHandler()) { Timeout = Timeout.InfiniteTimeSpan };
        using var writer = new InfluxWriter(
            new InfluxWriterOptions { Url = new Uri("http://influx.invalid/"), Database = "bench", Gzip = false, BatchSize = 5_000, MaxConcurrentWrites = 2 },
            http);
        var released = 0;
        var handle = new CallbackAckHandle(() => released = 1);
        handle.Retain(points.Length - 1);
        var envelopes = Array.ConvertAll(points, p => new Envelope<LinePoint>(p, handle));
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var watch = Stopwatch.StartNew();
        await Source.From(envelopes).Via(InfluxSink.Write(writer)).RunWith(Sink.Ignore<Envelope<DeadLetter>>(), materializer);
        var elapsed = watch.Elapsed;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        if (released != 1)
        {
            throw new InvalidOperationException("Not every point was acknowledged.");
        }

        return (cpu.TotalNanoseconds / points.Length, (double)allocated / points.Length, points.Length / elapsed.TotalSeconds);
    }

    private sealed class NoContentHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.NoContent) { RequestMessage = request });
    }
}
