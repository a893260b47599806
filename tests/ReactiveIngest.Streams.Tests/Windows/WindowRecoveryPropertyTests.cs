using Akka.Streams;
using Akka.Streams.Dsl;
using FsCheck.Xunit;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;
using ReactiveIngest.TestSupport.Time;
using Xunit;

namespace ReactiveIngest.Streams.Tests.Windows;

/// <summary>
/// Crash and recovery of the window stage against a batch oracle. A random stream (devices, one or two partitions,
/// out-of-order readings and late updates within the allowed lateness, tumbling or hopping windows) runs through a
/// stage with a progress store; at a random moment the run "crashes": from then on nothing it writes, saves or
/// acknowledges counts, and its in-memory state is dropped. A fresh stage with the saved progress then gets every
/// unacknowledged message again, in order, followed by the rest of the stream. The last stored version of every window
/// must equal the aggregate of all its readings.
/// </summary>
public class WindowRecoveryPropertyTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly long Ms = UnixTime.NanosPerMillisecond;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Property(MaxTest = 40)]
    public void Stored_windows_after_a_crash_and_a_replay_of_the_unacknowledged_messages_should_equal_a_batch_computation(int seed) =>
        CrashAndRecover(seed).GetAwaiter().GetResult();

    [Fact]
    public async Task Generated_crashes_should_exercise_saved_progress_released_messages_and_skipped_replays()
    {
        // Guards the property against vacuous passes: across fixed seeds some crashes must come after progress was
        // saved and messages released, and some replayed readings must hit windows saved as final.
        var outcomes = new List<Outcome>();
        for (var seed = 1; seed <= 12; seed++)
        {
            outcomes.Add(await CrashAndRecover(seed));
        }

        Assert.True(outcomes.Sum(o => o.Released) > 0, "no message was released before a crash");
        Assert.True(outcomes.Sum(o => o.ReplayedFinal) > 0, "no replayed reading hit a window saved as final");
        Assert.True(outcomes.Sum(o => o.Replayed) > 0, "nothing was replayed");
    }

    private async Task<Outcome> CrashAndRecover(int seed)
    {
        var random = new Random(seed);
        var spec = random.Next(3) switch
        {
            0 => WindowSpec.Tumbling(TimeSpan.FromSeconds(2)),
            1 => WindowSpec.Tumbling(TimeSpan.FromSeconds(1)),
            _ => WindowSpec.Hopping(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2)),
        };
        var outOfOrder = new[] { 0L, 500, 2000 }[random.Next(3)] * Ms;
        var lateness = new[] { 0L, 1000, 3000 }[random.Next(3)] * Ms;
        var partitions = random.Next(1, 3);
        var messages = Generate(random, outOfOrder, lateness, partitions);
        var crashAfter = random.Next(messages.Count + 1);
        var crashDelay = TimeSpan.FromMilliseconds(random.Next(0, 60));

        var store = new InMemoryWindowProgressStore();
        var stored = new Dictionary<(string Device, long Start), WindowResult>();
        var settings = new WindowAggregateSettings(new WindowOptions(spec)
        {
            AllowedLateness = TimeSpan.FromTicks(lateness / 100),
            Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.FromTicks(outOfOrder / 100), IdleTimeout = TimeSpan.FromMinutes(10), WallClockFallback = false },
        })
        {
            TickInterval = TimeSpan.FromMilliseconds(20),
            TimeProvider = new ManualTimeProvider(),
            Progress = store,
            ProgressWindow = "w",
            ProgressSaveInterval = TimeSpan.FromMilliseconds(random.Next(0, 20)),
        };

        // Run 1, crashed after `crashAfter` messages and a short while.
        var first = new Run(stored, store);
        var (input, done) = first.Start(settings, Sys.Materializer());
        var released = new bool[messages.Count];
        for (var i = 0; i < crashAfter; i++)
        {
            var index = i;
            await input.OfferAsync(new Envelope<ReadingBatch>(messages[i], new CallbackAckHandle(() => first.IfAlive(() => released[index] = true))));
        }

        await Task.Delay(crashDelay);
        first.Crash();
        input.Fail(new InvalidOperationException("crash"));
        await done.ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(Wait);

        // Run 2: a fresh stage with the saved progress gets every unacknowledged message, then the rest.
        var gauges = new WindowStageGauges();
        var second = new Run(stored, store);
        var (input2, done2) = second.Start(settings with { Gauges = gauges }, Sys.Materializer());
        var replayed = 0;
        for (var i = 0; i < messages.Count; i++)
        {
            if (!released[i])
            {
                replayed += i < crashAfter ? 1 : 0;
                await input2.OfferAsync(new Envelope<ReadingBatch>(messages[i], AckHandle.None));
            }
        }

        input2.Complete();
        await done2.WaitAsync(Wait);

        // The oracle: every reading in every window it belongs to (none is late by construction).
        var expected = new Dictionary<(string Device, long Start), List<double>>();
        foreach (var batch in messages)
        {
            foreach (var r in batch.AsSpan())
            {
                foreach (var start in WindowStarts(spec, r.TimestampNs))
                {
                    if (!expected.TryGetValue((r.DeviceId, start), out var values))
                    {
                        expected[(r.DeviceId, start)] = values = [];
                    }

                    values.Add(r.Value);
                }
            }
        }

        var what = $"seed {seed}, {spec.Kind}, ooo {outOfOrder / Ms} ms, lateness {lateness / Ms} ms, {partitions} partitions, crash after {crashAfter} of {messages.Count}";
        Assert.True(expected.Count == stored.Count, $"{what}: {stored.Count} windows stored, expected {expected.Count}");
        foreach (var (key, values) in expected)
        {
            Assert.True(stored.TryGetValue(key, out var result), $"{what}: window {key} not stored");
            var a = result!.Aggregates;
            Assert.True(values.Count == a.Count, $"{what}: window {key} count {a.Count}, expected {values.Count}");
            Assert.True(values.Sum() == a.Sum, $"{what}: window {key} sum {a.Sum}, expected {values.Sum()}");
            Assert.True(values.Min() == a.Min && values.Max() == a.Max, $"{what}: window {key} min/max");
        }

        return new Outcome(released.Count(r => r), gauges.ReplayedFinal, replayed);
    }

    /// <summary>Messages of 1–3 readings; each reading is at most out-of-orderness + lateness behind the largest time so far, so none is late.</summary>
    private static List<ReadingBatch> Generate(Random random, long outOfOrder, long lateness, int partitions)
    {
        var devices = new[] { "a", "b", "c" };
        var count = random.Next(30, 120);
        var max = 1_000_000L * UnixTime.NanosPerSecond;
        var messages = new List<ReadingBatch>(count);
        for (var i = 0; i < count; i++)
        {
            var readings = new List<Reading>();
            var partition = random.Next(partitions);
            for (var j = random.Next(1, 4); j > 0; j--)
            {
                var t = random.Next(4) == 0
                    ? max - random.NextInt64(0, outOfOrder + lateness + 1)
                    : max + random.NextInt64(0, 600 * Ms);
                max = Math.Max(max, t);
                readings.Add(new Reading(devices[random.Next(devices.Length)], "m", t, random.Next(1, 100)));
            }

            messages.Add(new ReadingBatch([.. readings], partition));
        }

        return messages;
    }

    private static IEnumerable<long> WindowStarts(WindowSpec spec, long t)
    {
        if (spec.Kind == WindowKind.Tumbling)
        {
            yield return t - (((t % spec.SizeNs) + spec.SizeNs) % spec.SizeNs);
            yield break;
        }

        for (var start = t - (((t % spec.SlideNs) + spec.SlideNs) % spec.SlideNs); start + spec.SizeNs > t; start -= spec.SlideNs)
        {
            yield return start;
        }
    }

    private sealed record Outcome(int Released, long ReplayedFinal, int Replayed);

    /// <summary>
    /// One run of the stage: the sink stores each result (last write wins) and then releases it; after
    /// <see cref="Crash"/> nothing it writes, saves or acknowledges counts any more.
    /// </summary>
    private sealed class Run(Dictionary<(string Device, long Start), WindowResult> stored, InMemoryWindowProgressStore store) : IWindowProgressStore
    {
        private readonly object _gate = new();
        private bool _crashed;

        public void Crash()
        {
            lock (_gate)
            {
                _crashed = true;
            }
        }

        public void IfAlive(Action action)
        {
            lock (_gate)
            {
                if (!_crashed)
                {
                    action();
                }
            }
        }

        public (ISourceQueueWithComplete<Envelope<ReadingBatch>> Input, Task Done) Start(WindowAggregateSettings settings, IMaterializer materializer) =>
            Source.Queue<Envelope<ReadingBatch>>(16, OverflowStrategy.Backpressure)
                .Via(WindowAggregate.Create(settings with { Progress = this }, Sink.Ignore<Envelope<Reading>>(), Sink.Ignore<Envelope<DeadLetter>>()))
                .ToMaterialized(
                    Sink.ForEach<Envelope<WindowResult>>(e =>
                    {
                        IfAlive(() =>
                        {
                            if (e.Payload.Kind != EmissionKind.Early)
                            {
                                lock (stored)
                                {
                                    stored[(e.Payload.Key.DeviceId, e.Payload.StartNs)] = e.Payload;
                                }
                            }
                        });
                        e.Ack.Release();
                    }),
                    (queue, done) => (queue, (Task)done))
                .Run(materializer);

        public Task<long?> LoadAsync(string window, string partition, CancellationToken cancellationToken = default) =>
            store.LoadAsync(window, partition, cancellationToken);

        public Task SaveAsync(string window, IReadOnlyCollection<KeyValuePair<string, long>> finalWatermarks, CancellationToken cancellationToken = default)
        {
            lock (_gate)
            {
                return _crashed ? Task.FromException(new OperationCanceledException("crashed")) : store.SaveAsync(window, finalWatermarks, cancellationToken);
            }
        }
    }
}
