using Xunit;
using FsCheck.Xunit;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Watermarks;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.TestSupport.Time;

namespace ReactiveIngest.Core.Tests.Windows;

/// <summary>
/// Random streams (many devices and partitions, out-of-order within the bound, some readings late beyond it, idle
/// gaps) through the engine, compared with a brute-force batch computation: the oracle recomputes the watermark from
/// the whole history at every step, decides which windows accept each reading, and aggregates each window's
/// readings from scratch.
/// </summary>
public class WindowEnginePropertyTests
{
    private static readonly long Ms = UnixTime.NanosPerMillisecond;
    private static readonly long Second = UnixTime.NanosPerSecond;

    [Property(MaxTest = 150)]
    public void Every_window_result_should_equal_a_batch_computation_and_every_late_reading_should_be_accounted_for(int seed) =>
        RunAgainstOracle(seed);

    [Fact]
    public void Generated_streams_should_exercise_late_readings_late_updates_and_idle_gaps()
    {
        // Guards the property above against vacuous passes: across fixed seeds the scenarios must contain all the cases.
        var totals = Enumerable.Range(1, 30).Select(RunAgainstOracle).ToList();
        Assert.True(totals.Sum(c => c.ReadingsLate) > 0, "no late readings generated");
        Assert.True(totals.Sum(c => c.LateUpdates) > 0, "no late updates generated");
        Assert.True(totals.Sum(c => c.ReadingsAccepted) > 1000, "too few readings");
    }

    private static WindowCounters RunAgainstOracle(int seed)
    {
        var random = new Random(seed);
        var spec = random.Next(6) switch
        {
            0 => WindowSpec.Tumbling(TimeSpan.FromSeconds(1)),
            1 => WindowSpec.Tumbling(TimeSpan.FromSeconds(2)),
            2 => WindowSpec.Tumbling(TimeSpan.FromSeconds(5)),
            3 => WindowSpec.Hopping(TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(2)),
            4 => WindowSpec.Hopping(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(1)),
            _ => WindowSpec.Hopping(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(2)),
        };
        var outOfOrder = TimeSpan.FromMilliseconds(new[] { 0, 500, 2000 }[random.Next(3)]);
        var lateness = TimeSpan.FromMilliseconds(new[] { 0, 1000, 3000 }[random.Next(3)]);
        var idleTimeout = TimeSpan.FromSeconds(3);
        var fallback = random.Next(2) == 0;
        var scenario = Scenario.Generate(random, outOfOrder, lateness);

        var clock = new ManualTimeProvider();
        var emissions = new List<(WindowResult Result, long Watermark, bool Closing)>();
        var closing = false;
        WindowEngine? engine = null;
        engine = new WindowEngine(
            new WindowOptions(spec)
            {
                AllowedLateness = lateness,
                Watermarks = new WatermarkOptions { OutOfOrderness = outOfOrder, IdleTimeout = idleTimeout, WallClockFallback = fallback },
            },
            r => emissions.Add((r, engine!.Watermark, closing)),
            clock);

        // Oracle state.
        var oracleWindows = new Dictionary<(string, string, long), List<Reading>>();
        var partitions = new Dictionary<int, (long MaxTs, long LastActivity)>();
        var watermark = long.MinValue;
        var expectedLate = new HashSet<int>();
        var actualLate = new HashSet<int>();
        var ooo = UnixTime.ToNanos(outOfOrder);
        var late = UnixTime.ToNanos(lateness);
        var index = 0;
        long sequence = 0;

        foreach (var step in scenario)
        {
            clock.Advance(step.WallAdvance);
            var now = clock.GetTimestamp();
            foreach (var reading in step.Readings)
            {
                if (!engine.Add(reading, step.Partition, sequence))
                {
                    actualLate.Add(index);
                }

                var accepted = false;
                foreach (var start in WindowStarts(spec, reading.TimestampNs))
                {
                    var end = start + spec.SizeNs;
                    if (end + late > watermark)
                    {
                        accepted = true;
                        var key = (reading.DeviceId, reading.Metric, start);
                        if (!oracleWindows.TryGetValue(key, out var list))
                        {
                            oracleWindows[key] = list = [];
                        }

                        list.Add(reading);
                    }
                }

                if (!accepted)
                {
                    expectedLate.Add(index);
                }

                partitions[step.Partition] = (Math.Max(partitions.GetValueOrDefault(step.Partition, (long.MinValue, 0)).MaxTs, reading.TimestampNs), now);
                index++;
            }

            sequence++;
            engine.Flush();
            watermark = Math.Max(watermark, OracleWatermark(partitions, now, ooo, idleTimeout.Ticks, fallback));
            Assert.Equal(watermark, engine.Watermark);
        }

        closing = true;
        engine.CloseAll();

        Assert.Equal(expectedLate, actualLate);
        Assert.Equal(index - expectedLate.Count, engine.Counters.ReadingsAccepted);
        Assert.Equal(expectedLate.Count, engine.Counters.ReadingsLate);

        var byWindow = emissions.GroupBy(e => (e.Result.Key.DeviceId, e.Result.Key.Metric, e.Result.StartNs)).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(oracleWindows.Keys.OrderBy(k => k), byWindow.Keys.OrderBy(k => k));
        foreach (var (key, readings) in oracleWindows)
        {
            var list = byWindow[key];
            Assert.Equal(EmissionKind.Final, list[0].Result.Kind);
            Assert.All(list.Skip(1), e => Assert.Equal(EmissionKind.LateUpdate, e.Result.Kind));
            Assert.Equal(Enumerable.Range(0, list.Count), list.Select(e => e.Result.Revision));
            Assert.True(list[0].Closing || list[0].Watermark >= list[0].Result.EndNs, "a window fired before the watermark passed its end");
            BatchOracle.AssertMatches(readings, list[^1].Result.Aggregates, $"window {key}");
        }

        Assert.Equal(0, engine.Counters.OpenWindows);
        Assert.Equal(0, engine.Counters.Keys);
        return engine.Counters;
    }

    [Property(MaxTest = 100)]
    public void Session_results_should_equal_batch_sessionization(int seed)
    {
        var random = new Random(seed);
        var gap = TimeSpan.FromMilliseconds(new[] { 300, 1000, 2500 }[random.Next(3)]);
        var scenario = Scenario.Generate(random, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));
        var emissions = new List<WindowResult>();
        var engine = new WindowEngine(
            new WindowOptions(WindowSpec.Session(gap))
            {
                AllowedLateness = TimeSpan.FromHours(1), // nothing is late: every reading belongs to its session
                Watermarks = new WatermarkOptions { OutOfOrderness = TimeSpan.FromSeconds(2), IdleTimeout = TimeSpan.FromSeconds(3) },
            },
            emissions.Add,
            new ManualTimeProvider());

        var all = new List<Reading>();
        foreach (var step in scenario)
        {
            foreach (var reading in step.Readings)
            {
                Assert.True(engine.Add(reading, step.Partition));
                all.Add(reading);
            }

            engine.Flush();
        }

        engine.CloseAll();
        var last = emissions.GroupBy(e => (e.Key.DeviceId, e.Key.Metric, e.StartNs)).ToDictionary(g => g.Key, g => g.Last());
        var gapNs = UnixTime.ToNanos(gap);
        var sessions = 0;
        foreach (var series in all.GroupBy(r => (r.DeviceId, r.Metric)))
        {
            var sorted = series.OrderBy(r => r.TimestampNs).ToList();
            var current = new List<Reading> { sorted[0] };
            for (var i = 1; i <= sorted.Count; i++)
            {
                if (i == sorted.Count || sorted[i].TimestampNs - sorted[i - 1].TimestampNs >= gapNs)
                {
                    var key = (series.Key.DeviceId, series.Key.Metric, current[0].TimestampNs);
                    Assert.True(last.TryGetValue(key, out var result), $"no result for session {key}");
                    Assert.Equal(current[^1].TimestampNs + gapNs, result.EndNs);
                    BatchOracle.AssertMatches(current, result.Aggregates, $"session {key}");
                    sessions++;
                    if (i < sorted.Count)
                    {
                        current = [sorted[i]];
                    }
                }
                else
                {
                    current.Add(sorted[i]);
                }
            }
        }

        Assert.True(sessions > 0);
        Assert.Equal(0, engine.Counters.OpenWindows);
    }

    private static IEnumerable<long> WindowStarts(WindowSpec spec, long t)
    {
        // Brute force: every slide multiple s with s <= t < s + size.
        var k = (long)Math.Floor((double)(t - spec.SizeNs) / spec.SlideNs) - 1;
        for (var s = k * spec.SlideNs; s <= t; s += spec.SlideNs)
        {
            if (t >= s && t < s + spec.SizeNs)
            {
                yield return s;
            }
        }
    }

    private static long OracleWatermark(Dictionary<int, (long MaxTs, long LastActivity)> partitions, long now, long ooo, long idleTicks, bool fallback)
    {
        if (partitions.Count == 0)
        {
            return long.MinValue;
        }

        var active = partitions.Values.Where(p => now - p.LastActivity <= idleTicks).ToList();
        if (active.Count > 0)
        {
            return active.Min(p => p.MaxTs - ooo);
        }

        var max = partitions.Values.Max(p => p.MaxTs - ooo);
        return fallback ? max + ((now - partitions.Values.Max(p => p.LastActivity)) * UnixTime.NanosPerTick) : max;
    }

    /// <summary>A step of a random scenario: wall time passes, then one message (possibly empty: a quiet tick) arrives.</summary>
    private sealed record Step(TimeSpan WallAdvance, int Partition, Reading[] Readings);

    private static class Scenario
    {
        public static List<Step> Generate(Random random, TimeSpan outOfOrder, TimeSpan lateness)
        {
            var partitionCount = 1 + random.Next(3);
            var devices = 1 + random.Next(30);
            var metrics = 1 + random.Next(3);
            var ooo = UnixTime.ToNanos(outOfOrder);
            var beyond = ooo + UnixTime.ToNanos(lateness) + Second;
            var clocks = Enumerable.Range(0, partitionCount).Select(_ => (1_700_000_000L * Second) + (random.Next(5000) * Ms)).ToArray();
            var weights = Enumerable.Range(0, partitionCount).Select(_ => 1 + random.Next(10)).ToArray();
            var steps = new List<Step>();
            var count = 50 + random.Next(400);
            for (var i = 0; i < count; i++)
            {
                if (random.Next(100) < 3)
                {
                    var quiet = TimeSpan.FromMilliseconds(2000 + random.Next(8000));
                    if (random.Next(2) == 0)
                    {
                        for (var p = 0; p < partitionCount; p++)
                        {
                            clocks[p] += UnixTime.ToNanos(quiet);
                        }
                    }

                    steps.Add(new Step(quiet, 0, []));
                    continue;
                }

                var partition = Pick(random, weights);
                clocks[partition] += random.Next(300) * Ms;
                var readings = new Reading[1 + random.Next(3)];
                for (var r = 0; r < readings.Length; r++)
                {
                    var device = (random.Next(devices / partitionCount + 1) * partitionCount) + partition;
                    var roll = random.Next(100);
                    var jitter = roll < 85 ? (long)(random.NextDouble() * ooo)
                        : roll < 95 ? (long)(random.NextDouble() * beyond)
                        : (long)(random.NextDouble() * 20 * Second);
                    var value = random.Next(4) == 0 ? random.Next(-3, 4) : (random.NextDouble() * 200) - 50;
                    readings[r] = new Reading($"dev-{device}", $"m{random.Next(metrics)}", clocks[partition] - jitter, value);
                }

                steps.Add(new Step(TimeSpan.FromMilliseconds(random.Next(200)), partition, readings));
            }

            return steps;
        }

        private static int Pick(Random random, int[] weights)
        {
            var roll = random.Next(weights.Sum());
            for (var i = 0; i < weights.Length; i++)
            {
                roll -= weights[i];
                if (roll < 0)
                {
                    return i;
                }
            }

            return weights.Length - 1;
        }
    }
}
