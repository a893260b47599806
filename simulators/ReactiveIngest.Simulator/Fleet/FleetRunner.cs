using ReactiveIngest.Simulator.Devices;
using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Payloads;
using ReactiveIngest.Simulator.Rate;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>
/// Runs a fleet: builds the devices, opens the connections (rate-limited), then paces every device on its
/// open-model timetable for the duration, flushes what devices still hold, waits for publishes to complete, and
/// returns counters, latency and the ground truth.
/// </summary>
public sealed class FleetRunner(FleetOptions fleet, RateOptions rate, FaultOptions faultOptions, ITransport transport, TimeProvider? timeProvider = null)
{
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>The counters of the current run, for a progress line.</summary>
    public FleetStats Stats { get; } = new();

    /// <summary>The intended rate, known once the run has started.</summary>
    public double TargetRatePerSec { get; private set; }

    /// <summary>Runs for <paramref name="duration"/> after all connections are up.</summary>
    public async Task<FleetResult> RunAsync(TimeSpan duration, CancellationToken cancellationToken = default)
    {
        var seed = fleet.Seed;
        var faults = new FaultPlan(faultOptions, seed);
        var encoder = new PayloadEncoder(fleet.Format);
        var factory = new DeviceFactory(seed, fleet.Mix, fleet.Sites, fleet.VibrationRateMultiplier);
        var dedicated = fleet.Connections == 0;
        var connectionCount = dedicated ? fleet.Devices : Math.Min(fleet.Connections, fleet.Devices);
        var shardCount = Math.Min(fleet.Shards > 0 ? fleet.Shards : Environment.ProcessorCount * 2, connectionCount);
        var latency = new LatencyRecorder();
        var limiter = new ConnectionRateLimiter(fleet.ConnectRatePerSec, _time);
        var runId = Guid.NewGuid().ToString("N")[..8];

        var contexts = new FleetContext[shardCount];
        var shardDevices = new List<SimulatedDevice>[shardCount];
        var shardConnections = new Dictionary<int, ShardConnection>[shardCount];
        for (var s = 0; s < shardCount; s++)
        {
            contexts[s] = new FleetContext(fleet, _time, Stats, latency, new GroundTruthRecorder(fleet.Format.ToString()));
            shardDevices[s] = [];
            shardConnections[s] = [];
        }

        for (var c = 0; c < connectionCount; c++)
        {
            var s = c % shardCount;
            shardConnections[s][c] = new ShardConnection(c, $"{runId}-{c}", transport, limiter, contexts[s]);
        }

        var uncappedRate = 0.0;
        for (var i = 0; i < fleet.Devices; i++)
        {
            var identity = factory.Identity(i);
            var model = factory.Model(identity);
            var connection = i % connectionCount;
            var s = connection % shardCount;
            shardDevices[s].Add(new SimulatedDevice(identity, model, connection, faults, encoder, contexts[s].Recorder, Stats));
            uncappedRate += 1000.0 * model.RateMultiplier / rate.IntervalMs;
        }

        var connectStarted = _time.GetTimestamp();
        await ConnectAllAsync(shardConnections.SelectMany(d => d.Values), cancellationToken);
        var connectSeconds = _time.GetElapsedTime(connectStarted).TotalSeconds;

        var startUs = Clock.NowUs(_time) + 50_000;
        var plan = new RatePlan(rate, startUs, uncappedRate);
        TargetRatePerSec = plan.TargetRatePerSec;
        var endUs = startUs + (long)(duration.TotalMilliseconds * 1000);
        var shards = new FleetShard[shardCount];
        for (var s = 0; s < shardCount; s++)
        {
            var controller = new OpenModelRateController(_time, plan, rate.MissedSlots);
            for (var d = 0; d < shardDevices[s].Count; d++)
            {
                var device = shardDevices[s][d];
                var interval = plan.IntervalUs(device.Model.RateMultiplier);
                var jitter = DeterministicNoise.Uniform(seed, (ulong)device.Identity.Index, 200, 0);
                controller.Add(d, plan.FirstUs(device.Identity.Index, fleet.Devices, jitter, interval), interval);
            }

            shards[s] = new FleetShard(contexts[s], controller, shardDevices[s], shardConnections[s], faults, dedicated, startUs);
        }

        await Task.WhenAll(shards.Select(shard => Task.Run(() => shard.RunAsync(endUs, cancellationToken), CancellationToken.None)));
        foreach (var shard in shards)
        {
            await shard.FlushAsync(CancellationToken.None);
        }

        await Task.WhenAll(shards.SelectMany(s => s.Connections.Values).Select(c => c.DrainAsync(TimeSpan.FromSeconds(60))));
        var sendSeconds = (Clock.NowUs(_time) - startUs) / 1e6;
        await Task.WhenAll(shards.SelectMany(s => s.Connections.Values).Select(c => c.CloseAsync()));

        return new FleetResult(
            fleet.Devices,
            connectionCount,
            plan.TargetRatePerSec,
            connectSeconds,
            sendSeconds,
            shards.Sum(s => s.Controller.Taken),
            shards.Sum(s => s.Controller.Missed),
            shards.Sum(s => s.Controller.Skipped),
            Stats,
            latency.Summary(),
            GroundTruthRecorder.Merge(contexts.Select(c => c.Recorder)));
    }

    private static async Task ConnectAllAsync(IEnumerable<ShardConnection> connections, CancellationToken cancellationToken)
    {
        // At most 256 connects in flight; the limiter spaces their starts.
        using var gate = new SemaphoreSlim(256);
        var tasks = new List<Task>();
        foreach (var connection in connections)
        {
            await gate.WaitAsync(cancellationToken);
            tasks.Add(Task.Run(
                async () =>
                {
                    try
                    {
                        await connection.ConnectAsync(rateLimited: true, cancellationToken);
                    }
                    finally
                    {
                        gate.Release();
                    }
                },
                CancellationToken.None));
        }

        await Task.WhenAll(tasks);
    }
}
