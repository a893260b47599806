using System.Text.Json;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Tests.Support;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Influx.Tests.Stages;

/// <summary>Kills the real influxd in the middle of a stream; it has a server of its own so no other test is disturbed.</summary>
public sealed class InfluxdRestartSpec(InfluxFixture influx, ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit, IClassFixture<InfluxFixture>
{
    [Fact]
    public async Task Writer_should_retry_while_influxd_is_killed_and_restarted_and_store_every_point_sent()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("restart");
        const int total = 40_000;
        var options = new InfluxWriterOptions
        {
            Url = influx.Server.BaseAddress,
            Database = db,
            BatchSize = 500,
            MaxConcurrentWrites = 2,
            FlushInterval = TimeSpan.FromMilliseconds(100),
            InitialRetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(500),
            RequestTimeout = TimeSpan.FromSeconds(10),
            UnreadyAfterFailures = 2,
        };
        using var writer = new InfluxWriter(options);
        var released = 0;

        var done = Source.From(Enumerable.Range(0, total))
            .Throttle(8_000, TimeSpan.FromSeconds(1), 500, ThrottleMode.Shaping)
            .Select(i => new Envelope<LinePoint>(
                PointBuilder.Measurement("m").Tag("deviceId", $"d{i % 10}").Field("value", (double)i).Timestamp(1_700_000_000_000_000_000L + i).Build(),
                new CallbackAckHandle(() => Interlocked.Increment(ref released))))
            .Via(InfluxSink.Write(writer))
            .RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer());

        await Eventually.TrueAsync(() => Volatile.Read(ref released) >= 5_000, "part of the stream was written");
        await influx.Server.KillAsync();
        var atKill = Volatile.Read(ref released);
        await Eventually.TrueAsync(() => !writer.IsReady, "the writer noticed influxd is gone");
        var whileDown = Volatile.Read(ref released);
        await influx.Server.StartAsync();

        var deadLetters = await done.WaitAsync(TimeSpan.FromMinutes(3));

        output.WriteLine($"released at kill: {atKill}, when the writer turned unready: {whileDown}");
        Assert.True(atKill < total, "influxd was killed before the stream ended");
        Assert.Empty(deadLetters);
        Assert.Equal(total, Volatile.Read(ref released));
        Assert.True(writer.IsReady);
        var json = await influx.Server.QueryAsync("SELECT count(value) FROM m", db);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(total, document.RootElement.GetProperty("results")[0].GetProperty("series")[0].GetProperty("values")[0][1].GetInt64());
    }
}
