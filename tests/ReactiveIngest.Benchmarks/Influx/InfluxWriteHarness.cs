using ReactiveIngest.Simulator.Servers;
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Benchmarks.Influx;

/// <summary>
/// Console harness: points/s written to a real influxd by <see cref="InfluxWriter"/> next to a bare
/// HttpClient loop posting the same pre-encoded batches, same concurrency, same run, each into a fresh
/// database, alternating order over several rounds.
/// Run: <c>dotnet run -c Release --project tests/ReactiveIngest.Benchmarks -- influx-write [points] [rounds]</c>.
/// </summary>
internal static class InfluxWriteHarness
{
    private const int BatchSize = 5_000;
    private const int Concurrency = 2;

    public static async Task RunAsync(string[] args)
    {
        var total = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 500_000;
        var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        await using var server = new InfluxServer();
        await server.StartAsync();
        Console.WriteLine($"influxd on {server.BaseAddress}; {total:N0} points in batches of {BatchSize:N0}, {Concurrency} concurrent requests, {rounds} rounds");

        var batches = Encode(total);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        foreach (var gzip in new[] { false, true })
        {
            var bare = new List<double>();
            var ours = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                if (round % 2 == 0)
                {
                    bare.Add(await BareAsync(server, http, batches, gzip, total));
                    ours.Add(await WriterAsync(server, batches, gzip, total));
                }
                else
                {
                    ours.Add(await WriterAsync(server, batches, gzip, total));
                    bare.Add(await BareAsync(server, http, batches, gzip, total));
                }
            }

            var b = Median(bare);
            var o = Median(ours);
            Console.WriteLine($"gzip={gzip}: bare HttpClient loop median {b:N0} points/s [{string.Join(", ", bare.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))}]");
            Console.WriteLine($"gzip={gzip}: InfluxWriter       median {o:N0} points/s [{string.Join(", ", ours.Select(x => x.ToString("N0", CultureInfo.InvariantCulture)))}]  ({(o / b) - 1:+0.0%;-0.0%} vs bare)");
        }

        foreach (var batch in batches)
        {
            batch.Dispose();
        }
    }

    private static List<EncodedBatch> Encode(int total)
    {
        var batches = new List<EncodedBatch>();
        for (var start = 0; start < total; start += BatchSize)
        {
            var batch = new EncodedBatch(WritePrecision.Nanoseconds, BatchSize, 512 * 1024);
            for (var i = start; i < Math.Min(total, start + BatchSize); i++)
            {
                batch.TryAdd(ReadingPointMapper.Default.Map(new Reading($"device-{i % 1000}", "temperature", 1_700_000_000_000_000_000L + (i * 1_000_000L), 20 + (i % 97 / 7.0))));
            }

            batches.Add(batch);
        }

        return batches;
    }

    private static async Task<double> BareAsync(InfluxServer server, HttpClient http, List<EncodedBatch> batches, bool gzip, int total)
    {
        var db = await server.CreateDatabaseAsync("bare");
        var uri = new Uri($"write?db={db}&precision=ns", UriKind.Relative);
        var next = -1;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var body = batches[index].Slice(0, batches[index].Count);
                using HttpContent content = gzip ? new ByteArrayContent(Gzip(body.Span)) : new ReadOnlyMemoryContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
                if (gzip)
                {
                    content.Headers.ContentEncoding.Add("gzip");
                }

                using var response = await http.PostAsync(uri, content);
                response.EnsureSuccessStatusCode();
            }
        }));
        return total / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> WriterAsync(InfluxServer server, List<EncodedBatch> batches, bool gzip, int total)
    {
        var db = await server.CreateDatabaseAsync("writer");
        using var writer = new InfluxWriter(new InfluxWriterOptions { Url = server.BaseAddress, Database = db, Gzip = gzip, RequestTimeout = TimeSpan.FromMinutes(2) });
        var next = -1;
        var written = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < batches.Count)
            {
                var result = await writer.WriteAsync(batches[index]);
                Interlocked.Add(ref written, result.Written);
            }
        }));
        var rate = total / watch.Elapsed.TotalSeconds;
        return written == total ? rate : throw new InvalidOperationException($"The writer stored {written} of {total} points.");
    }

    private static byte[] Gzip(ReadOnlySpan<byte> raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(raw);
        }

        return output.ToArray();
    }

    /// <summary>The middle value (the upper of the two middle ones for an even count); the Influx harnesses report it.</summary>
    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
