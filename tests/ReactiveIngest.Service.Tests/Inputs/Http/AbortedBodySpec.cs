using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>
/// Request bodies a client abandons or sends too slowly are logged once per connection as one Warning line without a
/// stack trace, and counted in <c>reactiveingest.http.aborted_bodies</c>; nothing else logs them at Information or above.
/// </summary>
public sealed class AbortedBodySpec
{
    private const string Category = "ReactiveIngest.Service.Inputs.Http.AbortedBodies";

    /// <summary>The service on a real Kestrel port (a body can only be cut off over a socket), its logs captured.</summary>
    private static (WebApplicationFactory<Program> Host, CapturingLoggerProvider Logs, int Port) Host()
    {
        var logs = new CapturingLoggerProvider();
        var port = FreePort.Next();
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("ReactiveIngest:Http:Urls", "http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture));
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.ConfigureLogging(l => l.AddProvider(logs));

            // A short grace period so that a stalled body times out within the spec (Kestrel's default is 240 B/s after 5 s).
            b.ConfigureKestrel(k => k.Limits.MinRequestBodyDataRate = new MinDataRate(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(2)));
        });
        host.UseKestrel(port);
        host.StartServer();
        return (host, logs, port);
    }

    private static byte[] Head(string path, int contentLength) => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nContent-Length: {contentLength}\r\n\r\nm,deviceId=cut v=1\n");

    /// <summary>Sends headers announcing 10000 bytes and a few of them, then closes (or resets) the connection.</summary>
    private static async Task CutOffAsync(int port, string path, bool reset)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Head(path, 10_000));
        await stream.FlushAsync();
        await Task.Delay(100); // the server takes the request and waits for the rest of the body
        if (reset)
        {
            tcp.Client.LingerState = new LingerOption(true, 0);
        }

        tcp.Close();
    }

    private static void AssertQuiet(CapturingLoggerProvider logs)
    {
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Category != Category);
        Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Information && e.Category.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Entries, e => e.Exception is not null && e.Level >= LogLevel.Information);
        Assert.All(logs.Entries.Where(e => e.Category == Category), e =>
        {
            Assert.Equal(LogLevel.Warning, e.Level);
            Assert.DoesNotContain("   at ", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        });
    }

    [Theory]
    [InlineData("/api/ingest", false)]
    [InlineData("/api/ingest", true)]
    [InlineData("/write?db=x", false)]
    [InlineData("/api/v2/write?org=o&bucket=b", true)]
    public async Task A_body_cut_off_by_the_client_should_log_one_warning_per_connection_without_a_stack_trace_and_count_it(string path, bool reset)
    {
        var (host, logs, port) = Host();
        await using var _ = host;
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        long counted = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == IngestMeters.HttpAbortedBodies && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref counted, value));
        listener.Start();

        for (var i = 0; i < 3; i++)
        {
            await CutOffAsync(port, path, reset);
        }

        var aborted = host.Services.GetRequiredService<AbortedBodies>();
        await RecordingOutputs.EventuallyAsync(() => aborted.Count >= 3, "three aborted bodies");
        Assert.Equal(3, aborted.Count);
        Assert.Equal(3, Interlocked.Read(ref counted));
        var warnings = logs.Entries.Where(e => e.Category == Category).ToList();
        Assert.Equal(3, warnings.Count);
        Assert.All(warnings, w => Assert.Contains("aborted", w.Message, StringComparison.Ordinal));
        Assert.Equal(3, warnings.Select(w => w.Message).Distinct().Count()); // one per connection, each naming its own
        AssertQuiet(logs);
        Assert.Equal(0, host.Services.GetRequiredService<ReactiveIngest.Service.Journaling.SourceJournals>().Statistics().Sum(s => s.Appended));

        // The service goes on taking requests.
        using var client = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture)) };
        var ok = await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), new StringContent("m,deviceId=after v=1\n", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
    }

    [Fact]
    public async Task A_body_sent_too_slowly_should_get_408_or_a_closed_connection_and_log_one_warning()
    {
        var (host, logs, port) = Host();
        await using var _ = host;
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Head("/api/ingest", 100_000));
        await stream.FlushAsync();

        // Then nothing: after the grace period Kestrel finds the body below its minimum data rate.
        var answer = new byte[4096];
        int read;
        try
        {
            read = await stream.ReadAsync(answer).AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (IOException)
        {
            read = 0;
        }

        var text = Encoding.ASCII.GetString(answer, 0, read);
        Assert.True(read == 0 || text.StartsWith("HTTP/1.1 408", StringComparison.Ordinal), $"answer: {text}");
        var aborted = host.Services.GetRequiredService<AbortedBodies>();
        await RecordingOutputs.EventuallyAsync(() => aborted.Count >= 1, "the slow body");
        var warning = Assert.Single(logs.Entries, e => e.Category == Category);
        Assert.Contains("too slow", warning.Message, StringComparison.Ordinal);
        AssertQuiet(logs);
    }

    [Fact]
    public void A_connection_should_be_logged_once_and_a_forgotten_one_again_while_every_body_is_counted()
    {
        var logs = new CapturingLoggerProvider();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(logs));
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var aborted = new AbortedBodies(services.GetRequiredService<IMeterFactory>(), loggers.CreateLogger<AbortedBodies>());
        HttpContext On(string connection)
        {
            var context = new DefaultHttpContext();
            context.Connection.Id = connection;
            context.Request.Path = "/write";
            return context;
        }

        aborted.Report(On("c1"), timedOut: false, "Unexpected end of request content.");
        aborted.Report(On("c1"), timedOut: true, "Reading the request body timed out due to data arriving too slowly.");
        aborted.Report(On("c2"), timedOut: false, "Connection reset by peer");
        Assert.Equal(3, aborted.Count);
        Assert.Equal(2, logs.Entries.Count);

        for (var i = 0; i < AbortedBodies.RememberedConnections; i++)
        {
            aborted.Report(On("other" + i.ToString(CultureInfo.InvariantCulture)), timedOut: false, "gone");
        }

        aborted.Report(On("c1"), timedOut: false, "gone");
        Assert.Equal(3 + AbortedBodies.RememberedConnections, logs.Entries.Count);
        Assert.Equal(4 + AbortedBodies.RememberedConnections, aborted.Count);
    }
}
