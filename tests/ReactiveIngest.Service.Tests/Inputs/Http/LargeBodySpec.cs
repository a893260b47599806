using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>Specs that measure the process's allocations, so they run alone (no other spec allocating meanwhile).</summary>
[CollectionDefinition(nameof(AllocationMeasuringCollection), DisableParallelization = true)]
public sealed class AllocationMeasuringCollection;

/// <summary>
/// A 100 MB body is answered 413 without being read into memory, with a Content-Length beyond the limit and chunked
/// (no Content-Length): reading stops at <c>ReactiveIngest:Http:MaxRequestBodyBytes</c>.
/// </summary>
[Collection(nameof(AllocationMeasuringCollection))]
public sealed class LargeBodySpec
{
    private const long HundredMegabytes = 100L * 1024 * 1024;

    /// <summary>
    /// Sends a request with a <paramref name="bodyBytes"/> body from one reused buffer while reading the answer, and
    /// stops sending when the answer has come or the server closed; returns the answer's status line and headers.
    /// </summary>
    private static async Task<string> PostHugeAsync(int port, string path, long bodyBytes, bool chunked)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var framing = chunked ? "Transfer-Encoding: chunked" : "Content-Length: " + bodyBytes.ToString(CultureInfo.InvariantCulture);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n{framing}\r\n\r\n"));

        using var answered = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            var answer = new MemoryStream();
            var buffer = new byte[4096];
            try
            {
                while (!Encoding.ASCII.GetString(answer.ToArray()).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var read = await stream.ReadAsync(buffer);
                    if (read == 0)
                    {
                        break;
                    }

                    answer.Write(buffer, 0, read);
                }
            }
            catch (IOException)
            {
                // Reset after the answer, or before it (then the answer is empty and the spec fails).
            }

            await answered.CancelAsync();
            return Encoding.ASCII.GetString(answer.ToArray());
        });

        var line = Encoding.ASCII.GetBytes("m,deviceId=huge v=1 1700000000000000000\n");
        var piece = new byte[64 * 1024];
        for (var i = 0; i < piece.Length; i++)
        {
            piece[i] = line[i % line.Length];
        }

        var chunkHead = Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n");
        try
        {
            for (long sent = 0; sent < bodyBytes && !answered.IsCancellationRequested; sent += piece.Length)
            {
                if (chunked)
                {
                    await stream.WriteAsync(chunkHead, answered.Token);
                }

                await stream.WriteAsync(piece, answered.Token);
                if (chunked)
                {
                    await stream.WriteAsync("\r\n"u8.ToArray(), answered.Token);
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
            // The server stopped reading: expected once it has answered.
        }

        return await reading.WaitAsync(TimeSpan.FromSeconds(60));
    }

    [Theory]
    [InlineData("/api/ingest", false)]
    [InlineData("/api/ingest", true)]
    [InlineData("/write?db=x", false)]
    [InlineData("/api/v2/write?org=o&bucket=b", true)]
    public async Task A_100_MB_body_should_get_413_without_the_service_reading_it_into_memory(string path, bool chunked)
    {
        var port = FreePort.Next();
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ReactiveIngest:Http:Urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
        });
        host.UseKestrel(port);
        host.StartServer();

        // Warm up the endpoint (JIT, first journal open) so that its one-time allocations do not count.
        await PostHugeAsync(port, path, 2L * 1024 * 1024, chunked);
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var answer = await PostHugeAsync(port, path, HundredMegabytes, chunked);

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);

        // Reading the body into memory would allocate at least its 100 MB (more, as the buffer grows by doubling).
        Assert.True(allocated < 32L * 1024 * 1024, $"{allocated / (1024 * 1024)} MB allocated while a 100 MB body was refused");
        Assert.Equal(0, host.Services.GetRequiredService<SourceJournals>().Statistics().Sum(s => s.Appended));
    }
}
