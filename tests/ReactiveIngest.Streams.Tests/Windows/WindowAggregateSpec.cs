using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;
using ReactiveIngest.TestSupport.Time;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Windows;

public class WindowAggregateSpec : Akka.TestKit.Xunit2.TestKit
{
    private static readonly long Second = UnixTime.NanosPerSecond;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly ManualTimeProvider _clock = new();

    private WindowAggregateSettings Settings(TimeSpan? lateness = null, TimeSpan? early = null, int maxPendingAcks = 1_000_000) =>
        new(new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromSeconds(10)))
        {
            AllowedLateness = lateness ?? TimeSpan.Zero,
            Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.Zero, IdleTimeout = TimeSpan.FromSeconds(30) },
        })
        {
            TickInterval = TimeSpan.FromMilliseconds(50),
            EarlyResultsInterval = early,
            MaxPendingAcks = maxPendingAcks,
            TimeProvider = _clock,
        };

    private static Envelope<ReadingBatch> Batch(double seconds, double value = 1, string device = "d1", int partition = 0, AckHandle? ack = null) =>
        new(ReadingBatch.Of(new Reading(device, "t", (long)(seconds * Second), value), partition), ack ?? AckHandle.None);

    private (ISourceQueueWithComplete<Envelope<ReadingBatch>> In, ISinkQueue<Envelope<WindowResult>> Results, ISinkQueue<Envelope<Reading>> Late) Run(WindowAggregateSettings settings)
    {
        var (q, r, l, _) = RunWithDeadLetters(settings);
        return (q, r, l);
    }

    private (ISourceQueueWithComplete<Envelope<ReadingBatch>> In, ISinkQueue<Envelope<WindowResult>> Results, ISinkQueue<Envelope<Reading>> Late, ISinkQueue<Envelope<DeadLetter>> DeadLetters) RunWithDeadLetters(WindowAggregateSettings settings)
    {
        var graph = RunnableGraph.FromGraph(GraphDsl.Create(
            Source.Queue<Envelope<ReadingBatch>>(16, OverflowStrategy.Backpressure),
            Sink.Queue<Envelope<WindowResult>>(),
            Sink.Queue<Envelope<Reading>>(),
            Sink.Queue<Envelope<DeadLetter>>(),
            (a, b, c, d) => (a, b, c, d),
            (builder, source, results, late, dead) =>
            {
                var stage = builder.Add(WindowAggregate.Stage(settings));
                builder.From(source).To(stage.In);
                builder.From(stage.Out0).To(results);
                builder.From(stage.Out1).To(late);
                builder.From(stage.Out2).To(dead);
                return ClosedShape.Instance;
            }));
        return graph.Run(Sys.Materializer());
    }

    private static async Task<T> Next<T>(ISinkQueue<T> queue)
    {
        var next = await queue.PullAsync().WaitAsync(Wait);
        Assert.True(next.HasValue, "the stream completed before the expected element");
        return next.Value;
    }

    [Fact]
    public async Task Window_should_emit_when_watermark_passes_end()
    {
        var (input, results, _) = Run(Settings());
        await input.OfferAsync(Batch(1, 2));
        await input.OfferAsync(Batch(5, 4));
        var pending = results.PullAsync();
        await Task.Delay(200); // a negative check: nothing may be emitted before the watermark passes 10 s
        Assert.False(pending.IsCompleted);

        await input.OfferAsync(Batch(10, 9));
        var result = (await pending.WaitAsync(Wait)).Value;
        Assert.Equal(EmissionKind.Final, result.Payload.Kind);
        Assert.Equal(2, result.Payload.Aggregates.Count);
        Assert.Equal(3, result.Payload.Aggregates.Mean);
        input.Complete();
    }

    [Fact]
    public async Task Gauges_should_show_open_windows_series_and_held_messages_until_the_windows_close()
    {
        var gauges = new WindowStageGauges();
        var (input, results, _) = Run(Settings() with { Gauges = gauges });
        var held = new CallbackAckHandle(() => { });
        await input.OfferAsync(Batch(1, device: "a", ack: held));
        await input.OfferAsync(Batch(2, device: "b"));
        await input.OfferAsync(Batch(3, device: "c"));
        await EventuallyAsync(() => gauges.OpenWindows == 3 && gauges.Series == 3 && gauges.PendingMessages == 1);

        // The watermark passes 10 s: the three windows close and their results are written (released).
        await input.OfferAsync(Batch(10, device: "a"));
        for (var i = 0; i < 3; i++)
        {
            (await Next(results)).Ack.Release();
        }

        await EventuallyAsync(() => gauges.OpenWindows == 1 && gauges.PendingMessages == 0 && held.IsReleased);
        Assert.Equal(0, gauges.EvictedWindows);
        input.Complete();
    }

    private static async Task EventuallyAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Wait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within the wait");
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task Window_should_dead_letter_a_reading_whose_fold_throws_and_keep_going()
    {
        var released = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref released));
        var message = new RawMessage(new byte[] { 1, 2, 3 }, new MessageContext("devices", 7), "mqtt:test");
        var settings = Settings() with
        {
            BeforeFold = r =>
            {
                if (r.DeviceId == "bad")
                {
                    throw new InvalidOperationException("fold bug");
                }
            },
        };
        var (input, results, _, dead) = RunWithDeadLetters(settings);
        await input.OfferAsync(new Envelope<ReadingBatch>(
            new ReadingBatch([new Reading("d1", "t", 1 * Second, 1), new Reading("bad", "t", 2 * Second, 100), new Reading("d1", "t", 3 * Second, 5)], 0, message),
            ack));
        await input.OfferAsync(Batch(12)); // closes [0 s, 10 s)

        var letter = await Next(dead);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Payload.Reason);
        Assert.StartsWith("InvalidOperationException: fold bug (in window default, reading bad/t at", letter.Payload.Detail, StringComparison.Ordinal);
        Assert.Equal([1, 2, 3], letter.Payload.Payload.ToArray());
        Assert.Equal("mqtt:test", letter.Payload.Source);
        Assert.Same(ack, letter.Ack);

        // The other readings of the batch were folded: one window of d1 with both values, and none for "bad".
        var result = await Next(results);
        Assert.Equal("d1", result.Payload.Key.DeviceId);
        Assert.Equal(2, result.Payload.Aggregates.Count);
        Assert.Equal(6, result.Payload.Aggregates.Sum);

        // The stage goes on: a later reading is folded and emitted at completion.
        await input.OfferAsync(Batch(21, device: "d2"));
        input.Complete();
        var rest = new List<Envelope<WindowResult>> { await Next(results), await Next(results) };
        Assert.Equal(["d1", "d2"], rest.Select(r => r.Payload.Key.DeviceId).Order());
        Assert.False((await dead.PullAsync().WaitAsync(Wait)).HasValue);

        // The message's handle: one reference with the dead letter, one held until its window is written.
        letter.Ack.Release();
        Assert.Equal(0, Volatile.Read(ref released));
        result.Ack.Release();
        foreach (var r in rest)
        {
            r.Ack.Release();
        }

        AwaitCondition(() => Volatile.Read(ref released) == 1, Wait);
    }

    [Fact]
    public async Task Window_should_dead_letter_a_batch_whose_partition_name_throws_and_keep_going()
    {
        var calls = 0;
        var released = 0;
        var ack = new CallbackAckHandle(() => Interlocked.Increment(ref released));
        var settings = Settings() with
        {
            Progress = new InMemoryWindowProgressStore(),
            PartitionName = p => Interlocked.Increment(ref calls) == 1 ? throw new FormatException($"no name for {p}") : $"p{p}",
        };
        var (input, results, _, dead) = RunWithDeadLetters(settings);
        await input.OfferAsync(Batch(1, 100, partition: 7, ack: ack)); // the callback throws: dead-lettered whole
        await input.OfferAsync(Batch(2, 1, partition: 7)); // named now: loaded and folded
        input.Complete();

        var letter = await Next(dead);
        Assert.Equal(RejectReason.ProcessingFailed, letter.Payload.Reason);
        Assert.Equal("FormatException: no name for 7 (in window default)", letter.Payload.Detail);
        Assert.Same(ack, letter.Ack);
        var result = await Next(results);
        Assert.Equal(1, result.Payload.Aggregates.Count);
        Assert.Equal(1, result.Payload.Aggregates.Sum);
        Assert.False((await results.PullAsync().WaitAsync(Wait)).HasValue);
        letter.Ack.Release();
        Assert.Equal(1, Volatile.Read(ref released));
    }

    [Fact]
    public async Task Late_reading_within_lateness_should_re_emit_and_later_ones_should_go_to_the_late_outlet()
    {
        var (input, results, late) = Run(Settings(lateness: TimeSpan.FromSeconds(5)));
        await input.OfferAsync(Batch(1));
        await input.OfferAsync(Batch(12));
        var first = await Next(results);
        Assert.Equal(1, first.Payload.Aggregates.Count);

        await input.OfferAsync(Batch(3));
        var update = await Next(results);
        Assert.Equal(EmissionKind.LateUpdate, update.Payload.Kind);
        Assert.Equal(first.Payload.StartNs, update.Payload.StartNs);
        Assert.Equal(2, update.Payload.Aggregates.Count);

        await input.OfferAsync(Batch(16)); // watermark 16 s ≥ 10 s + 5 s lateness
        await input.OfferAsync(Batch(4, 42));
        var dropped = await Next(late);
        Assert.Equal(42, dropped.Payload.Value);
        input.Complete();
    }

    [Fact]
    public async Task Idle_partition_should_stop_holding_windows_open()
    {
        var (input, results, _) = Run(Settings());
        await input.OfferAsync(Batch(1, partition: 0));
        await input.OfferAsync(Batch(2, device: "d2", partition: 1));
        await input.OfferAsync(Batch(20, partition: 0)); // partition 1 still at 2 s holds [0,10) open
        var pending = results.PullAsync();
        await Task.Delay(200);
        Assert.False(pending.IsCompleted);

        _clock.Advance(TimeSpan.FromSeconds(31)); // partition 1 idle now; partition 0 too, fallback moves on
        await input.OfferAsync(Batch(21, partition: 0)); // partition 0 active again: watermark 21 s
        var result = (await pending.WaitAsync(Wait)).Value;
        Assert.Equal(0, result.Payload.StartNs);
        input.Complete();
    }

    [Fact]
    public async Task Quiet_fleet_should_close_windows_on_the_timer()
    {
        var (input, results, _) = Run(Settings());
        await input.OfferAsync(Batch(1));
        var pending = results.PullAsync();

        // No more input: only the tick can close the window. The offer returns before the stage has the reading, so
        // the clock is moved on again until it has (a first move may come before the reading, which then starts its
        // idle timeout afresh).
        for (var i = 0; i < 50 && !pending.IsCompleted; i++)
        {
            _clock.Advance(TimeSpan.FromSeconds(45));
            await Task.WhenAny(pending, Task.Delay(200));
        }

        var result = (await pending.WaitAsync(Wait)).Value;
        Assert.Equal(EmissionKind.Final, result.Payload.Kind);
        input.Complete();
    }

    [Fact]
    public async Task A_quiet_partition_whose_input_is_held_back_upstream_should_keep_its_windows_open()
    {
        var heldBack = true;
        var (input, results, _) = Run(Settings() with { HeldBack = _ => Volatile.Read(ref heldBack) });
        await input.OfferAsync(Batch(1));
        var pending = results.PullAsync();

        // A stalled sink: no readings for longer than the idle timeout, but the source still has input waiting.
        _clock.Advance(TimeSpan.FromSeconds(45));
        await Task.Delay(300); // several ticks
        Assert.False(pending.IsCompleted, "a window closed while its partition's input was held back upstream");

        // The source ran dry: after the idle timeout the partition is idle and the fallback closes the window.
        Volatile.Write(ref heldBack, false);
        await Task.Delay(200);
        _clock.Advance(TimeSpan.FromSeconds(45));
        var result = (await pending.WaitAsync(Wait)).Value;
        Assert.Equal(EmissionKind.Final, result.Payload.Kind);
        input.Complete();
    }

    [Fact]
    public async Task Early_results_should_be_emitted_periodically_for_open_windows()
    {
        var (input, results, _) = Run(Settings(early: TimeSpan.FromMilliseconds(100)));
        await input.OfferAsync(Batch(1));
        var early = await Next(results);
        Assert.Equal(EmissionKind.Early, early.Payload.Kind);
        Assert.Same(AckHandle.None, early.Ack);
        input.Complete();
        var final = await Next(results);
        Assert.Equal(EmissionKind.Final, final.Payload.Kind);
    }

    [Fact]
    public async Task Input_handles_should_be_released_only_after_the_window_results_are_released()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<int>();
        var (input, results, _) = Run(Settings());
        for (var i = 0; i < 3; i++)
        {
            var id = i;
            await input.OfferAsync(Batch(i + 1, ack: new CallbackAckHandle(() => released.Add(id))));
        }

        await input.OfferAsync(Batch(11, ack: new CallbackAckHandle(() => released.Add(99))));
        var result = await Next(results);
        Assert.Equal(3, result.Payload.Aggregates.Count);
        await Task.Delay(200); // negative check: nothing durable yet
        Assert.Empty(released);

        result.Ack.Release(); // the sink wrote it
        Assert.Equal([0, 1, 2], released.Order());

        input.Complete();
        var last = await Next(results);
        Assert.DoesNotContain(99, released);
        last.Ack.Release();
        Assert.Contains(99, released);
    }

    [Fact]
    public async Task Windows_closed_in_one_step_should_release_their_messages_only_when_every_result_is_written()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<int>();
        var (input, results, _) = Run(Settings());
        await input.OfferAsync(Batch(1, device: "d1", ack: new CallbackAckHandle(() => released.Add(0))));
        await input.OfferAsync(Batch(2, device: "d2", ack: new CallbackAckHandle(() => released.Add(1))));
        await input.OfferAsync(Batch(3, device: "d3", ack: new CallbackAckHandle(() => released.Add(2))));
        await input.OfferAsync(Batch(11, device: "d1")); // one watermark step closes the three windows
        var first = await Next(results);
        var second = await Next(results);
        var third = await Next(results);
        Assert.Equal(["d1", "d2", "d3"], new[] { first, second, third }.Select(r => r.Payload.Key.DeviceId).Order());

        // Written out of order, and not all: no message may be acknowledged, not even the one whose window is written.
        third.Ack.Release();
        first.Ack.Release();
        await Task.Delay(200); // negative check
        Assert.Empty(released);

        second.Ack.Release();
        AwaitCondition(() => released.Count == 3, Wait);
        Assert.Equal([0, 1, 2], released.Order());
        input.Complete();
    }

    [Fact]
    public async Task Late_reading_should_carry_its_own_reference_of_the_message_handle()
    {
        var released = 0;
        var (input, results, late) = Run(Settings());
        await input.OfferAsync(Batch(1));
        await input.OfferAsync(Batch(15));
        (await Next(results)).Ack.Release();
        await input.OfferAsync(Batch(2, ack: new CallbackAckHandle(() => Interlocked.Increment(ref released))));
        var dropped = await Next(late);
        await Task.Delay(100);
        Assert.Equal(0, Volatile.Read(ref released));
        dropped.Ack.Release();

        // The message's own reference is released in arrival order: after the window of the earlier message (15 s)
        // has been written.
        await Task.Delay(100);
        Assert.Equal(0, Volatile.Read(ref released));
        input.Complete();
        (await Next(results)).Ack.Release();
        AwaitCondition(() => Volatile.Read(ref released) == 1, Wait);
    }

    [Fact]
    public async Task Slow_sink_should_backpressure_instead_of_buffering_without_bound()
    {
        var offered = 0;
        var settings = Settings() with
        {
            Windows = new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromMilliseconds(1)))
            {
                Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.Zero },
            },
        };
        var source = Source.From(Enumerable.Range(0, 100_000))
            .Select(i =>
            {
                Interlocked.Increment(ref offered);
                return new Envelope<ReadingBatch>(ReadingBatch.Of(new Reading("d", "t", i * UnixTime.NanosPerMillisecond, i)), AckHandle.None);
            });
        var results = source
            .Via(WindowAggregate.Create(settings, Sink.Ignore<Envelope<Reading>>(), Sink.Ignore<Envelope<DeadLetter>>()))
            .RunWith(Sink.Queue<Envelope<WindowResult>>().WithAttributes(Attributes.CreateInputBuffer(1, 1)), Sys.Materializer());

        // Every reading closes a window, so each element upstream produces one result; with nobody pulling, the
        // stage must stop pulling after a handful of elements (its own queue plus the Akka port buffers).
        await Task.Delay(500);
        var before = Volatile.Read(ref offered);
        await Task.Delay(500);
        Assert.Equal(before, Volatile.Read(ref offered));
        Assert.True(before < 200, $"upstream produced {before} elements with no demand downstream");

        var first = await Next(results);
        Assert.Equal(0, first.Payload.StartNs);
        var count = 1;
        while ((await results.PullAsync().WaitAsync(Wait)).HasValue)
        {
            count++;
        }

        Assert.Equal(100_000, count);
    }

    [Fact]
    public async Task Completion_should_emit_every_open_window_and_complete_both_outlets()
    {
        var (input, results, late) = Run(Settings());
        await input.OfferAsync(Batch(1, device: "a"));
        await input.OfferAsync(Batch(1, device: "b"));
        input.Complete();
        var emitted = new[] { await Next(results), await Next(results) };
        Assert.Equal(["a", "b"], emitted.Select(e => e.Payload.Key.DeviceId).Order());
        Assert.False((await results.PullAsync().WaitAsync(Wait)).HasValue);
        Assert.False((await late.PullAsync().WaitAsync(Wait)).HasValue);
    }

    [Fact]
    public async Task Downstream_cancellation_should_cancel_upstream()
    {
        var (input, firstResult) = Source.Queue<Envelope<ReadingBatch>>(16, OverflowStrategy.Backpressure)
            .Via(WindowAggregate.Create(Settings(), Sink.Ignore<Envelope<Reading>>(), Sink.Ignore<Envelope<DeadLetter>>()))
            .Take(1)
            .ToMaterialized(Sink.Seq<Envelope<WindowResult>>(), Keep.Both)
            .Run(Sys.Materializer());
        await input.OfferAsync(Batch(1));
        await input.OfferAsync(Batch(11));
        Assert.Single(await firstResult.WaitAsync(Wait));
        await input.WatchCompletionAsync().WaitAsync(Wait);
    }
    [Fact]
    public async Task Messages_should_stay_unacknowledged_after_the_first_firing_until_the_allowed_lateness_has_passed()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<int>();
        var (input, results, _) = Run(Settings(lateness: TimeSpan.FromSeconds(10)));
        await input.OfferAsync(Batch(1, ack: new CallbackAckHandle(() => released.Add(0))));
        await input.OfferAsync(Batch(11, ack: new CallbackAckHandle(() => released.Add(1))));
        var first = await Next(results);
        Assert.Equal(EmissionKind.Final, first.Payload.Kind);
        first.Ack.Release(); // the first firing is written, but a late reading may still change the window
        await Task.Delay(200); // negative check
        Assert.Empty(released);

        await input.OfferAsync(Batch(21)); // watermark 21 s ≥ 10 s + 10 s: [0 s, 10 s) is final; [10 s, 20 s) fires
        var second = await Next(results);
        Assert.Equal(10 * Second, second.Payload.StartNs);
        second.Ack.Release(); // the step that made [0 s, 10 s) final is written
        AwaitCondition(() => released.Contains(0), Wait);
        await Task.Delay(200); // negative check: [10 s, 20 s) is still within its allowed lateness
        Assert.DoesNotContain(1, released);
        input.Complete();
    }

    [Fact]
    public async Task Messages_should_be_released_only_after_the_progress_covering_their_windows_is_saved()
    {
        var released = new System.Collections.Concurrent.ConcurrentBag<int>();
        var store = new GatedProgressStore();
        var (input, results, _) = Run(Settings() with { Progress = store, ProgressWindow = "10s", ProgressSaveInterval = TimeSpan.Zero });
        await input.OfferAsync(Batch(1, ack: new CallbackAckHandle(() => released.Add(0))));
        await input.OfferAsync(Batch(11));
        (await Next(results)).Ack.Release(); // written: the window is final (no lateness), but its progress is not saved
        await Task.Delay(200); // negative check
        Assert.Empty(released);
        Assert.Empty(store.Inner.Snapshot());

        store.Open();
        AwaitCondition(() => released.Contains(0), Wait);
        Assert.True(store.Inner.Snapshot()[("10s", "0")] >= 10 * Second, "the saved final watermark covers the window");
        input.Complete();
    }

    [Fact]
    public async Task Failed_progress_saves_should_be_retried_and_hold_the_release_until_one_succeeds()
    {
        var released = 0;
        var gauges = new WindowStageGauges();
        var store = new GatedProgressStore(failures: 2);
        store.Open();
        var (input, results, _) = Run(Settings() with { Progress = store, ProgressSaveInterval = TimeSpan.Zero, Gauges = gauges });
        await input.OfferAsync(Batch(1, ack: new CallbackAckHandle(() => Interlocked.Increment(ref released))));
        await input.OfferAsync(Batch(11));
        (await Next(results)).Ack.Release();
        AwaitCondition(() => Volatile.Read(ref released) == 1, Wait);
        Assert.Equal(2, store.FailedSaves);
        Assert.NotEmpty(store.Inner.Snapshot());
        await EventuallyAsync(() => gauges.ProgressSaveFailures == 2);
        input.Complete();
    }

    [Fact]
    public async Task Replayed_reading_of_a_window_saved_as_final_should_not_be_folded_again_and_its_message_should_be_released()
    {
        var store = new InMemoryWindowProgressStore();
        await store.SaveAsync("10s", [new KeyValuePair<string, long>("source-a:7", 30 * Second)]);
        var gauges = new WindowStageGauges();
        var released = new System.Collections.Concurrent.ConcurrentBag<int>();
        var settings = Settings(lateness: TimeSpan.FromSeconds(10)) with
        {
            Progress = store,
            ProgressWindow = "10s",
            PartitionName = p => "source-a:" + p,
            Gauges = gauges,
        };
        var (input, results, late) = Run(settings);
        await input.OfferAsync(Batch(5, 100, partition: 7, ack: new CallbackAckHandle(() => released.Add(0)))); // [0 s, 10 s): 10 + 10 ≤ 30, final
        await input.OfferAsync(Batch(25, 3, partition: 7)); // [20 s, 30 s): 30 + 10 > 30, folded
        input.Complete();
        var only = await Next(results);
        Assert.Equal(20 * Second, only.Payload.StartNs);
        Assert.Equal(1, only.Payload.Aggregates.Count);
        Assert.False((await results.PullAsync().WaitAsync(Wait)).HasValue, "the final window must not be emitted again");
        Assert.False((await late.PullAsync().WaitAsync(Wait)).HasValue, "a replayed reading is not late");
        only.Ack.Release();
        AwaitCondition(() => released.Contains(0), Wait);
        Assert.Equal(1, gauges.ReplayedFinal);
    }

    /// <summary>A progress store whose saves wait until <see cref="Open"/> and fail the first <c>failures</c> times.</summary>
    private sealed class GatedProgressStore(int failures = 0) : IWindowProgressStore
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _failed;

        public InMemoryWindowProgressStore Inner { get; } = new();

        public int FailedSaves => Volatile.Read(ref _failed);

        public void Open() => _open.TrySetResult();

        public Task<long?> LoadAsync(string window, string partition, CancellationToken cancellationToken = default) =>
            Inner.LoadAsync(window, partition, cancellationToken);

        public async Task SaveAsync(string window, IReadOnlyCollection<KeyValuePair<string, long>> finalWatermarks, CancellationToken cancellationToken = default)
        {
            await _open.Task.ConfigureAwait(false);
            if (Interlocked.Increment(ref _failed) <= failures)
            {
                throw new IOException("store unavailable");
            }

            Interlocked.Exchange(ref _failed, failures);
            await Inner.SaveAsync(window, finalWatermarks, cancellationToken).ConfigureAwait(false);
        }
    }
}
