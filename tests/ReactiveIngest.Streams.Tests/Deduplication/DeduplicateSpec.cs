using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Deduplication;
using ReactiveIngest.Streams.Delivery;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Deduplication;

public class DeduplicateSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static Reading R(long t, double value = 1, string device = "d1", string metric = "temp", TagSet tags = default) =>
        new(device, metric, t, value, tags);

    private static Envelope<ReadingBatch> Batch(AckHandle ack, params Reading[] readings) => new(new ReadingBatch(readings, 3), ack);

    private static Envelope<ReadingBatch> Batch(params Reading[] readings) => Batch(AckHandle.None, readings);

    private async Task<IReadOnlyList<Envelope<ReadingBatch>>> Run(DeduplicateSettings settings, params Envelope<ReadingBatch>[] batches)
    {
        var (output, dead) = await RunWithDeadLetters(settings, batches);
        Assert.Empty(dead);
        return output;
    }

    private async Task<(IReadOnlyList<Envelope<ReadingBatch>> Batches, IReadOnlyList<Envelope<DeadLetter>> DeadLetters)> RunWithDeadLetters(
        DeduplicateSettings settings, params Envelope<ReadingBatch>[] batches)
    {
        var (output, dead) = RunnableGraph.FromGraph(GraphDsl.Create(
            Sink.Seq<Envelope<ReadingBatch>>(),
            Sink.Seq<Envelope<DeadLetter>>(),
            (a, b) => (a, b),
            (builder, kept, deadLetters) =>
            {
                var dedupe = builder.Add(Deduplicate.Stage(settings));
                builder.From(builder.Add(Source.From(batches))).To(dedupe.In);
                builder.From(dedupe.Out0).To(kept);
                builder.From(dedupe.Out1).To(deadLetters);
                return ClosedShape.Instance;
            })).Run(Sys.Materializer());
        return (await output.WaitAsync(Wait), await dead.WaitAsync(Wait));
    }

    private static List<Reading> Flatten(IEnumerable<Envelope<ReadingBatch>> batches) => batches.SelectMany(b => b.Payload).ToList();

    [Fact]
    public async Task Duplicates_within_one_batch_should_be_dropped_and_the_rest_keep_the_handle_and_partition()
    {
        var counters = new DeduplicationCounters();
        var released = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref released));
        var output = await Run(new DeduplicateSettings { Counters = counters }, Batch(ack, R(1), R(2), R(1, value: 5), R(2), R(3)));

        var batch = Assert.Single(output);
        Assert.Equal([1L, 2L, 3L], batch.Payload.Select(r => r.TimestampNs));
        Assert.Equal(1, batch.Payload[0].Value); // the first copy wins
        Assert.Equal(3, batch.Payload.Partition);
        Assert.Same(ack, batch.Ack);
        Assert.Equal(0, Volatile.Read(ref released)); // the stage does not release a handle it passes on
        batch.Ack.Release();
        Assert.Equal(1, Volatile.Read(ref released));
        Assert.Equal(2, counters.Duplicates);
        Assert.Equal(0, counters.BatchesEmptied);
    }

    [Fact]
    public async Task A_batch_without_duplicates_should_pass_through_unchanged()
    {
        var input = Batch(R(1), R(2, device: "d2"), R(1, metric: "hum"), R(1, tags: TagSet.Create(("site", "a"))));
        var output = await Run(new DeduplicateSettings(), input);
        Assert.Same(input.Payload, Assert.Single(output).Payload);
    }

    [Fact]
    public async Task A_batch_that_is_all_duplicates_should_not_be_emitted_and_its_handle_should_be_released()
    {
        var counters = new DeduplicationCounters();
        var releasedFirst = 0;
        var releasedSecond = 0;
        var first = new CallbackAckHandle(() => Interlocked.Increment(ref releasedFirst));
        var second = new CallbackAckHandle(() => Interlocked.Increment(ref releasedSecond));
        var output = await Run(
            new DeduplicateSettings { Counters = counters },
            Batch(first, R(10), R(20)),
            Batch(second, R(20), R(10)),
            Batch(R(30)));

        Assert.Equal([10L, 20L, 30L], Flatten(output).Select(r => r.TimestampNs));
        Assert.Equal(1, Volatile.Read(ref releasedSecond));
        Assert.Equal(0, Volatile.Read(ref releasedFirst));
        Assert.All(output, b => Assert.NotEmpty(b.Payload));
        Assert.Equal(2, counters.Duplicates);
        Assert.Equal(1, counters.BatchesEmptied);
    }

    [Fact]
    public async Task Duplicates_across_batches_should_be_dropped_and_other_readings_kept()
    {
        var output = await Run(new DeduplicateSettings(), Batch(R(1), R(2)), Batch(R(2), R(3)), Batch(R(3), R(4), R(1)));
        Assert.Equal([1L, 2L, 3L, 4L], Flatten(output).Select(r => r.TimestampNs));
        Assert.Equal(3, output.Count);
    }

    [Fact]
    public async Task Out_of_order_duplicates_within_the_depth_should_be_dropped()
    {
        var output = await Run(new DeduplicateSettings(depth: 4), Batch(R(5)), Batch(R(2)), Batch(R(9)), Batch(R(1)), Batch(R(2)), Batch(R(5)));
        Assert.Equal([5L, 2L, 9L, 1L], Flatten(output).Select(r => r.TimestampNs));
    }

    [Fact]
    public async Task Readings_that_differ_in_device_metric_tags_or_timestamp_should_not_be_duplicates()
    {
        var a = TagSet.Create(("site", "a"));
        var b = TagSet.Create(("site", "b"));
        var readings = new[] { R(1), R(1, device: "d2"), R(1, metric: "hum"), R(1, tags: a), R(1, tags: b), R(2) };
        var output = await Run(new DeduplicateSettings(), Batch(readings), Batch(readings));
        Assert.Equal(readings, Flatten(output));
    }

    [Fact]
    public async Task A_duplicate_older_than_the_ring_should_escape_detection_as_documented()
    {
        var output = await Run(new DeduplicateSettings(depth: 2), Batch(R(1)), Batch(R(2)), Batch(R(3)), Batch(R(1)), Batch(R(3)));
        Assert.Equal([1L, 2L, 3L, 1L], Flatten(output).Select(r => r.TimestampNs));
    }

    [Fact]
    public async Task The_number_of_series_should_stay_within_the_bound_and_evictions_should_be_counted()
    {
        var counters = new DeduplicationCounters();
        var batches = Enumerable.Range(0, 100).Select(d => Batch(R(1, device: $"d{d}"))).ToArray();
        var output = await Run(new DeduplicateSettings(depth: 4, maxKeys: 10) { Counters = counters }, batches);
        Assert.Equal(100, output.Count);
        Assert.Equal(90, counters.KeysEvicted);

        // Only 10 series are remembered: replaying all 100 finds at most 10 duplicates.
        var replay = Enumerable.Range(0, 100).Select(d => Batch(R(1, device: $"d{d}"))).ToArray();
        var counters2 = new DeduplicationCounters();
        var both = await Run(new DeduplicateSettings(depth: 4, maxKeys: 10) { Counters = counters2 }, [.. batches, .. replay]);
        Assert.InRange(counters2.Duplicates, 0, 10);
        Assert.Equal(200 - counters2.Duplicates, both.Count);
    }

    [Fact]
    public async Task A_series_hit_since_the_clock_hand_passed_should_survive_eviction()
    {
        var counters = new DeduplicationCounters();
        var output = await Run(
            new DeduplicateSettings(depth: 4, maxKeys: 2) { Counters = counters },
            Batch(R(1, device: "hot"), R(1, device: "cold")),
            Batch(R(2, device: "hot")),
            Batch(R(1, device: "new")), // evicts "cold": "hot" was hit since it was added
            Batch(R(1, device: "hot"), R(1, device: "cold")));

        Assert.Equal(1, counters.Duplicates); // hot@1 is remembered; cold@1 was forgotten and passes
        Assert.Contains(output[^1].Payload, r => r.DeviceId == "cold");
        Assert.DoesNotContain(output[^1].Payload, r => r.DeviceId == "hot");
        Assert.Equal(2, counters.KeysEvicted);
    }

    [Fact]
    public async Task With_room_for_every_series_the_output_should_be_the_first_copy_of_each_identity()
    {
        var random = new Random(42);
        var batches = new List<Envelope<ReadingBatch>>();
        var seen = new HashSet<(string, string, long)>();
        var expected = new List<Reading>();
        for (var b = 0; b < 300; b++)
        {
            var readings = new Reading[random.Next(1, 8)];
            for (var i = 0; i < readings.Length; i++)
            {
                readings[i] = R(random.Next(0, 20), random.NextDouble(), device: $"d{random.Next(0, 5)}", metric: random.Next(2) == 0 ? "a" : "b");
                if (seen.Add((readings[i].DeviceId, readings[i].Metric, readings[i].TimestampNs)))
                {
                    expected.Add(readings[i]);
                }
            }

            batches.Add(Batch(readings));
        }

        var counters = new DeduplicationCounters();
        var output = await Run(new DeduplicateSettings(depth: 20, maxKeys: 10) { Counters = counters }, [.. batches]);
        Assert.Equal(expected, Flatten(output));
        Assert.Equal(batches.Sum(b => b.Payload.Count) - expected.Count, counters.Duplicates);
        Assert.Equal(0, counters.KeysEvicted);
    }

    [Fact]
    public void Settings_should_reject_bounds_out_of_range()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeduplicateSettings(depth: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeduplicateSettings(depth: DeduplicateSettings.MaxDepth + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DeduplicateSettings(maxKeys: 0));
    }

    [Fact]
    public async Task Dedupe_should_dead_letter_a_batch_whose_processing_throws_and_keep_going()
    {
        var released = new int[3];
        var message = new RawMessage(Encoding.UTF8.GetBytes("the second message"), new MessageContext("devices/d1", 42), "mqtt:test", 3);
        var batches = new[]
        {
            Batch(new CallbackAckHandle(() => Interlocked.Increment(ref released[0])), R(1), R(2)),
            new Envelope<ReadingBatch>(
                new ReadingBatch([R(3), R(4, device: "bad"), R(5)], 3, message),
                new CallbackAckHandle(() => Interlocked.Increment(ref released[1]))),
            Batch(new CallbackAckHandle(() => Interlocked.Increment(ref released[2])), R(6), R(1)),
        };
        var settings = new DeduplicateSettings
        {
            BeforeLookup = r =>
            {
                if (r.DeviceId == "bad")
                {
                    throw new InvalidOperationException("lookup bug");
                }
            },
        };

        var (output, dead) = await RunWithDeadLetters(settings, batches);

        // The other batches are deduplicated as usual (R(1) of the third is a duplicate of the first).
        Assert.Equal([1L, 2L, 6L], Flatten(output).Select(r => r.TimestampNs));
        var letter = Assert.Single(dead);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Payload.Reason);
        Assert.StartsWith("InvalidOperationException: lookup bug (in Deduplicate)", letter.Payload.Detail, StringComparison.Ordinal);
        Assert.Equal("the second message", Encoding.UTF8.GetString(letter.Payload.Payload.Span));
        Assert.Equal("mqtt:test", letter.Payload.Source);
        Assert.Equal("devices/d1", letter.Payload.Context.Topic);
        Assert.Same(batches[1].Ack, letter.Ack);

        Assert.Equal([0, 0, 0], released); // every reference is with an output
        letter.Ack.Release();
        foreach (var batch in output)
        {
            batch.Ack.Release();
        }

        Assert.Equal([1, 1, 1], released); // each exactly once
    }
}
