using System.Net;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Tests.Support;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Influx.Tests.Stages;

public sealed class InfluxWriteStageSpec : Akka.TestKit.Xunit2.TestKit
{
    private static InfluxWriterOptions Options(Uri url, int batchSize, int concurrency = 1) => new()
    {
        Url = url,
        Database = "db",
        BatchSize = batchSize,
        MaxConcurrentWrites = concurrency,
        FlushInterval = TimeSpan.FromMilliseconds(100),
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
    };

    private static LinePoint Version(string device, double value) =>
        PointBuilder.Measurement("agg").Tag("deviceId", device).Field("count", 1L).Field("sum", value).Timestamp(1_700_000_000_000_000_000L).Build();

    private static InfluxWriter HeldWriter(HeldHttpHandler handler, ScopedInfluxMetrics metrics, int concurrency = 2) =>
        new(
            new InfluxWriterOptions
            {
                Url = new Uri("http://influx.invalid/"),
                Database = "db",
                BatchSize = 1,
                MaxConcurrentWrites = concurrency,
                Gzip = false,
                InitialRetryDelay = TimeSpan.FromMilliseconds(5),
                MaxRetryDelay = TimeSpan.FromMilliseconds(20),
            },
            new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan },
            metrics: metrics.Metrics);

    private static Envelope<LinePoint> Unacknowledged(LinePoint point) => new(point, new CallbackAckHandle(() => { }));

    private static LinePoint Point(int i) =>
        PointBuilder.Measurement("m").Tag("deviceId", $"d{i}").Field("value", (double)i).Timestamp(1_700_000_000_000_000_000L + i).Build();

    [Fact]
    public async Task Stage_should_release_handles_only_after_the_batch_containing_them_is_written()
    {
        using var gate = new SemaphoreSlim(0);
        await using var server = new ScriptedHttpListener((_, _) =>
        {
            gate.Wait(TimeSpan.FromSeconds(60));
            return ScriptedResponse.NoContent;
        });
        using var writer = new InfluxWriter(Options(server.BaseAddress, batchSize: 3));
        var released = new bool[3];
        var envelopes = Enumerable.Range(0, 3).Select(i => new Envelope<LinePoint>(Point(i), new CallbackAckHandle(() => Volatile.Write(ref released[i], true)))).ToList();

        var done = Source.From(envelopes).Via(InfluxSink.Write(writer)).RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer());
        await Eventually.TrueAsync(() => !server.Requests.IsEmpty, "the batch was sent");

        Assert.All(released, r => Assert.False(r));
        gate.Release();
        var deadLetters = await done.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Empty(deadLetters);
        Assert.All(released, r => Assert.True(r));
        Assert.Equal(3, Assert.Single(server.Requests).Lines.Length);
    }

    [Fact]
    public async Task Stage_should_emit_unwritable_points_as_dead_letters_with_their_unreleased_handles()
    {
        await using var server = new ScriptedHttpListener((r, _) => r.Body.Contains("rejectme", StringComparison.Ordinal)
            ? new ScriptedResponse(400, "{\"error\":\"partial write: field type conflict: input field \\\"value\\\" on measurement \\\"rejectme\\\" is type integer, already exists as type float dropped=1\"}")
            : ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(Options(server.BaseAddress, batchSize: 10));
        var handles = new List<CallbackAckHandle>();
        var points = new[]
        {
            Point(0),
            PointBuilder.Measurement("m").Field("value", double.NaN).Build(),
            Point(2),
            PointBuilder.Measurement("rejectme").Field("value", 1L).Timestamp(5).Build(),
            Point(4),
        };
        var envelopes = points.Select(p =>
        {
            var handle = new CallbackAckHandle(() => { });
            handles.Add(handle);
            return new Envelope<LinePoint>(p, handle);
        }).ToList();

        var deadLetters = await Source.From(envelopes).Via(InfluxSink.Write(writer, "influx:test"))
            .RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, deadLetters.Count);
        var notFinite = deadLetters.Single(d => d.Payload.Reason == RejectReason.NotFinite);
        var conflict = deadLetters.Single(d => d.Payload.Reason == RejectReason.RejectedByStorage);
        Assert.Same(handles[1], notFinite.Ack);
        Assert.Same(handles[3], conflict.Ack);
        Assert.Equal("rejectme value=1i 5", System.Text.Encoding.UTF8.GetString(conflict.Payload.Payload.Span));
        Assert.Contains("field type conflict", conflict.Payload.Detail, StringComparison.Ordinal);
        Assert.Equal("influx:test", conflict.Payload.Source);
        Assert.False(handles[1].IsReleased);
        Assert.False(handles[3].IsReleased);
        Assert.True(handles[0].IsReleased && handles[2].IsReleased && handles[4].IsReleased);
    }

    [Fact]
    public async Task Stage_should_stop_demand_while_writes_keep_failing_and_never_drop()
    {
        var fail = 1;
        await using var server = new ScriptedHttpListener((_, _) => Volatile.Read(ref fail) == 1 ? new ScriptedResponse(503) : ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(Options(server.BaseAddress, batchSize: 10, concurrency: 1));
        var pulled = 0;
        var released = 0;

        var done = Source.From(Enumerable.Range(0, 1000))
            .Select(i =>
            {
                Interlocked.Increment(ref pulled);
                return new Envelope<LinePoint>(Point(i), new CallbackAckHandle(() => Interlocked.Increment(ref released)));
            })
            .Via(InfluxSink.Write(writer))
            .RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer());

        await Eventually.TrueAsync(() => server.Requests.Count >= 20, "the failing write was retried many times");
        // Bound: 1 batch in flight + 2 sealed + 1 filling, plus one element Akka may have pulled ahead.
        Assert.InRange(Volatile.Read(ref pulled), 10, (4 * 10) + 1);
        Assert.Equal(0, Volatile.Read(ref released));
        Assert.False(writer.IsReady);

        Volatile.Write(ref fail, 0);
        var deadLetters = await done.WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Empty(deadLetters);
        Assert.Equal(1000, Volatile.Read(ref released));
        Assert.True(writer.IsReady);
        Assert.Equal(1000, server.Requests.SelectMany(r => r.Lines).Distinct().Count());
    }

    [Fact]
    public async Task Stage_should_flush_a_partial_batch_after_the_flush_interval()
    {
        await using var server = new ScriptedHttpListener((_, _) => ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(Options(server.BaseAddress, batchSize: 1000));
        var released = 0;
        var (queue, done) = Source.Queue<Envelope<LinePoint>>(10, OverflowStrategy.Backpressure)
            .Via(InfluxSink.Write(writer))
            .ToMaterialized(Sink.Seq<Envelope<DeadLetter>>(), (q, d) => (q, d))
            .Run(Sys.Materializer());

        await queue.OfferAsync(new Envelope<LinePoint>(Point(1), new CallbackAckHandle(() => Interlocked.Increment(ref released))));
        await queue.OfferAsync(new Envelope<LinePoint>(Point(2), new CallbackAckHandle(() => Interlocked.Increment(ref released))));

        await Eventually.TrueAsync(() => Volatile.Read(ref released) == 2, "the partial batch was written by the flush timer");
        Assert.Equal(2, Assert.Single(server.Requests).Lines.Length);
        queue.Complete();
        Assert.Empty(await done.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Fact]
    public async Task Readings_should_map_to_points_and_keep_their_handles()
    {
        await using var server = new ScriptedHttpListener((_, _) => ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(Options(server.BaseAddress, batchSize: 2));
        var released = 0;
        var readings = new[] { new Reading("a", "temp", 10, 1.5), new Reading("b", "hum", 20, 2.5) }
            .Select(r => new Envelope<Reading>(r, new CallbackAckHandle(() => Interlocked.Increment(ref released))));

        await Source.From(readings).Via(InfluxSink.FromReadings()).RunWith(InfluxSink.Create(writer, Sink.Ignore<Envelope<DeadLetter>>()), Sys.Materializer()).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, released);
        Assert.Equal(["temp,deviceId=a value=1.5 10", "hum,deviceId=b value=2.5 20"], Assert.Single(server.Requests).Lines);
    }

    [Fact]
    public async Task A_batch_should_wait_for_the_write_in_flight_of_a_point_with_the_same_identity()
    {
        using var metrics = new ScopedInfluxMetrics();
        var handler = new HeldHttpHandler(r => r.Index == 0 ? null : HttpStatusCode.NoContent);
        using var writer = HeldWriter(handler, metrics);
        var older = Version("a", 1.5);
        var newer = Version("a", 2.5);

        var done = Source.From([Unacknowledged(older), Unacknowledged(newer)])
            .Via(InfluxSink.Write(writer))
            .RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer());
        await Eventually.TrueAsync(() => handler.Requests.Count >= 2 || metrics.OrderWaits > 0, "the second batch was sent or held back");

        // Held back, not sent: with a write slot free, the batch waits for the first write.
        Assert.Equal(1, metrics.OrderWaits);
        var first = Assert.Single(handler.Requests);
        first.Answer(HttpStatusCode.NoContent);
        Assert.Empty(await done.WaitAsync(TimeSpan.FromSeconds(60)));

        var requests = handler.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        Assert.True(requests[1].StartedAt > first.AnsweredAt, "the second write started only after the first was answered");
        Assert.Equal([LineProtocolEncoder.ToLine(older)], requests[0].Lines);
        Assert.Equal([LineProtocolEncoder.ToLine(newer)], requests[1].Lines);
    }

    [Fact]
    public async Task A_batch_should_wait_while_the_write_of_a_point_with_the_same_identity_is_retried()
    {
        using var metrics = new ScopedInfluxMetrics();
        var handler = new HeldHttpHandler(r => r.Index < 3 ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.NoContent);
        using var writer = HeldWriter(handler, metrics);
        var older = LineProtocolEncoder.ToLine(Version("a", 1.5));
        var newer = LineProtocolEncoder.ToLine(Version("a", 2.5));

        await Source.From([Unacknowledged(Version("a", 1.5)), Unacknowledged(Version("a", 2.5))])
            .Via(InfluxSink.Write(writer))
            .RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(60));

        // Three failed attempts and the success of the older version, then the newer one: the last write wins.
        Assert.Equal([older, older, older, older, newer], handler.Requests.Select(r => Assert.Single(r.Lines)));
    }

    [Fact]
    public async Task Batches_without_a_common_point_should_be_written_concurrently()
    {
        using var metrics = new ScopedInfluxMetrics();
        var handler = new HeldHttpHandler(_ => null);
        using var writer = HeldWriter(handler, metrics);
        var released = 0;
        var envelopes = new[] { Version("a", 1.5), Version("b", 1.5) }
            .Select(p => new Envelope<LinePoint>(p, new CallbackAckHandle(() => Interlocked.Increment(ref released))));

        var done = Source.From(envelopes).Via(InfluxSink.Write(writer)).RunWith(Sink.Seq<Envelope<DeadLetter>>(), Sys.Materializer());
        await Eventually.TrueAsync(() => handler.Requests.Count == 2, "both writes were sent");

        // Both requests are in flight at once: neither has been answered.
        Assert.All(handler.Requests, r => Assert.Equal(0, r.AnsweredAt));
        Assert.Equal(0, metrics.OrderWaits);
        foreach (var request in handler.Requests)
        {
            request.Answer(HttpStatusCode.NoContent);
        }

        Assert.Empty(await done.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(2, released);
    }
}
