using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.Rate;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>
/// One sender loop: owns a disjoint set of connections and their devices, takes due slots from its open-model
/// controller, sends, and sleeps until the next slot. Dropouts close dedicated connections; reconnect storms
/// drop a fraction of the shard's connections at once.
/// </summary>
internal sealed class FleetShard(
    FleetContext context,
    OpenModelRateController controller,
    IReadOnlyList<SimulatedDevice> devices,
    IReadOnlyDictionary<int, ShardConnection> connections,
    FaultPlan faults,
    bool dedicatedConnections,
    long startUs)
{
    /// <summary>The shortest sleep between sends (one millisecond, the timer's resolution).</summary>
    private const long MinimumSleepUs = 1_000;

    private readonly List<OutgoingMessage> _batch = [];
    private long _lastStorm;

    public OpenModelRateController Controller => controller;

    public IReadOnlyDictionary<int, ShardConnection> Connections => connections;

    public async Task RunAsync(long endUs, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            while (controller.TryTakeDue(endUs, out var slot))
            {
                await SendSlotAsync(slot, cancellationToken);
            }

            await StormAsync(cancellationToken);
            var next = controller.NextDueUs;
            var now = Clock.NowUs(context.Time);
            if (next is null || next >= endUs)
            {
                if (now >= endUs)
                {
                    break;
                }

                next = endUs;
            }

            // Sleep until the next slot, never less than one timer tick: spinning on Task.Yield for waits under a
            // tick kept a core busy at every capped rate (each shard's next slot is usually < 1 ms away) and took
            // that CPU from the system under test. Slots that fall due meanwhile go out together when the shard
            // wakes; their latency is measured from the intended time, so the wake-up delay is reported, not hidden.
            var waitUs = Math.Max(next.Value - now, MinimumSleepUs);
            await Task.Delay(TimeSpan.FromMicroseconds(waitUs), context.Time, cancellationToken);
        }
    }

    /// <summary>Sends everything the devices still hold, on the connections that are up.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var nowUs = Clock.NowUs(context.Time);
        foreach (var device in devices)
        {
            _batch.Clear();
            device.TakeAllPending(_batch);
            var connection = connections[device.Connection];
            foreach (var message in _batch)
            {
                await connection.SendAsync(message, nowUs, cancellationToken);
            }
        }
    }

    private async Task SendSlotAsync(DueSlot slot, CancellationToken cancellationToken)
    {
        var device = devices[slot.Device];
        var connection = connections[device.Connection];
        var droppedOut = faults.IsDroppedOut(device.Identity.Index, slot.IntendedUs / 1000);
        if (dedicatedConnections)
        {
            if (droppedOut && connection.IsConnected)
            {
                context.Stats.OnDropout();
                await connection.DropAsync();
            }
            else if (!droppedOut && !connection.IsConnected)
            {
                connection.EnsureReconnecting(rateLimited: true, cancellationToken);
            }
        }
        else if (!connection.IsConnected)
        {
            connection.EnsureReconnecting(rateLimited: true, cancellationToken);
        }

        _batch.Clear();
        device.Generate(slot.Sequence, slot.IntendedUs, _batch);
        if (droppedOut || !connection.IsConnected)
        {
            foreach (var message in _batch)
            {
                device.KeepOffline(message);
            }

            return;
        }

        if (device.OfflineCount > 0)
        {
            var current = _batch.ToArray();
            _batch.Clear();
            device.TakeOffline(_batch);
            _batch.AddRange(current);
        }

        foreach (var message in _batch)
        {
            await connection.SendAsync(message, slot.IntendedUs, cancellationToken);
        }
    }

    private async Task StormAsync(CancellationToken cancellationToken)
    {
        var interval = faults.Options.ReconnectStormIntervalMs * 1000L;
        if (interval <= 0)
        {
            return;
        }

        var storm = (Clock.NowUs(context.Time) - startUs) / interval;
        if (storm <= _lastStorm)
        {
            return;
        }

        _lastStorm = storm;
        foreach (var connection in connections.Values)
        {
            if (connection.IsConnected && faults.IsHitByStorm(connection.Index, storm))
            {
                context.Stats.OnStormDrop();
                await connection.DropAsync();
                connection.EnsureReconnecting(rateLimited: false, cancellationToken);
            }
        }
    }
}
