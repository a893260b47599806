using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Rate;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.Fleet;

/// <summary>
/// One transport connection of a shard: bounds publishes in flight, records each accepted message in the ground
/// truth and its latency from the slot's intended time, hands failed messages back to their device, and
/// reconnects in the background with backoff.
/// The in-flight bound has hysteresis: a sender that found the window full resumes when half of it has been
/// acknowledged, not at every acknowledgement, so under load it wakes once per burst and the burst goes out in
/// few socket writes. Only the owning shard's loop calls <see cref="SendAsync"/> (one sender per connection).
/// </summary>
internal sealed class ShardConnection(int index, string clientId, ITransport transport, ConnectionRateLimiter limiter, FleetContext context)
{
    private readonly int _maxInflight = context.Options.MaxInflightPerConnection;
    private readonly int _resumeAt = context.Options.MaxInflightPerConnection / 2;
    private readonly Lock _gate = new();
    private TaskCompletionSource? _space;
    private ITransportConnection? _connection;
    private Task _reconnecting = Task.CompletedTask;
    private int _outstanding;

    public int Index => index;

    public bool IsConnected => _connection?.IsConnected == true;

    public async Task ConnectAsync(bool rateLimited, CancellationToken cancellationToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rateLimited)
            {
                await limiter.WaitAsync(cancellationToken);
            }

            try
            {
                _connection = await transport.ConnectAsync(clientId, cancellationToken);
                context.Stats.OnConnect();
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                context.Stats.OnConnectFailure();
                await Task.Delay(delay, context.Time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.TicksPerSecond * 5));
            }
        }
    }

    /// <summary>Starts a reconnect unless one is running or the connection is up.</summary>
    public void EnsureReconnecting(bool rateLimited, CancellationToken cancellationToken)
    {
        if (IsConnected || !_reconnecting.IsCompleted)
        {
            return;
        }

        _reconnecting = Task.Run(
            async () =>
            {
                var old = Interlocked.Exchange(ref _connection, null);
                if (old is not null)
                {
                    await old.CloseAsync(graceful: false, CancellationToken.None);
                }

                try
                {
                    await ConnectAsync(rateLimited, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // The run ended while reconnecting.
                }
            },
            CancellationToken.None);
    }

    /// <summary>Drops the connection as a network failure would.</summary>
    public async Task DropAsync()
    {
        var old = Interlocked.Exchange(ref _connection, null);
        if (old is not null)
        {
            await old.CloseAsync(graceful: false, CancellationToken.None);
        }
    }

    /// <summary>Waits for an in-flight slot, then starts the publish; completion is handled in the background.</summary>
    public async Task SendAsync(OutgoingMessage message, long intendedUs, CancellationToken cancellationToken)
    {
        var connection = _connection;
        if (connection is null || !connection.IsConnected)
        {
            message.Device.KeepOffline(message);
            return;
        }

        if (Volatile.Read(ref _outstanding) >= _maxInflight)
        {
            await WaitForSpaceAsync(cancellationToken);
        }

        Interlocked.Increment(ref _outstanding);
        context.Stats.OnAttempt();
        _ = PublishAsync(connection, message, intendedUs);
    }

    /// <summary>Waits until every publish started has completed, or the timeout passes.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        var deadline = context.Time.GetUtcNow() + timeout;
        while (Volatile.Read(ref _outstanding) > 0 && context.Time.GetUtcNow() < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), context.Time);
        }
    }

    public async Task CloseAsync()
    {
        var old = Interlocked.Exchange(ref _connection, null);
        if (old is not null)
        {
            await old.CloseAsync(graceful: true, CancellationToken.None);
        }
    }

    private async Task PublishAsync(ITransportConnection connection, OutgoingMessage message, long intendedUs)
    {
        try
        {
            var accepted = await connection.PublishAsync(message.Device.Identity.Topic, message.Device.Identity.DeviceId, message.Payload);
            var nowUs = Clock.NowUs(context.Time);
            if (accepted)
            {
                context.Stats.OnAccepted();
                context.Latency.Record(intendedUs, nowUs);
                Record(message, nowUs / 1000);
            }
            else
            {
                context.Stats.OnRefused();
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            context.Stats.OnFailed();
            message.Device.KeepOffline(message);
        }
        finally
        {
            if (Interlocked.Decrement(ref _outstanding) <= _resumeAt)
            {
                TaskCompletionSource? space;
                lock (_gate)
                {
                    space = _space;
                    _space = null;
                }

                space?.TrySetResult();
            }
        }
    }

    private async Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        // A completion that brings the count to the resume mark takes the gate after its decrement, so either this
        // check sees the low count or that completion sees the waiter.
        Task space;
        lock (_gate)
        {
            if (Volatile.Read(ref _outstanding) <= _resumeAt)
            {
                return;
            }

            _space = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            space = _space.Task;
        }

        await space.WaitAsync(cancellationToken);
    }

    private void Record(OutgoingMessage message, long nowMs)
    {
        var device = message.Device;
        var recorder = context.Recorder;
        if (message.Reading is { } reading && reading.TryMarkRecorded())
        {
            recorder.RecordPublishedReading(device.Ledger, reading.TimestampMs, device.Model.Metrics, reading.Values);
        }
        else
        {
            recorder.RecordPublished(device.Ledger);
        }

        if (message.Injection is { } kind)
        {
            recorder.RecordInjection(new Injection(kind, device.Identity.DeviceId, message.TimestampMs, nowMs, message.Detail));
        }
    }
}
