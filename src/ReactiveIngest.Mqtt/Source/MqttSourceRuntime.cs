using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Akka.Event;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Connection;
using ReactiveIngest.Mqtt.Metrics;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Source;

/// <summary>
/// The part of a materialized source that lives outside the stage: the connections and their tasks, the
/// bounded buffer they write to, and the control handed to the user. Thread-safe.
/// </summary>
internal sealed class MqttSourceRuntime : IMqttSourceControl
{
    private readonly MqttSourceSettings _settings;
    private readonly IMeterFactory? _meterFactory;
    private readonly Channel<Envelope<RawMessage>> _buffer;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private MqttSourceConnection[] _connections = [];
    private Task _connectionsDone = Task.CompletedTask;
    private MqttSourceMetrics? _metrics;
    private volatile bool _graceful = true;
    private int _shutdownStarted;

    public MqttSourceRuntime(MqttSourceSettings settings, IMeterFactory? meterFactory)
    {
        _settings = settings;
        _meterFactory = meterFactory;
        _buffer = Channel.CreateBounded<Envelope<RawMessage>>(new BoundedChannelOptions(settings.BufferSize)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    public ChannelReader<Envelope<RawMessage>> Reader => _buffer.Reader;

    /// <summary>Completes when StopAsync or DrainAndShutdownAsync decided the stream should complete.</summary>
    public Task StopRequested => _stopRequested.Task;

    public Task Completion => _completion.Task;

    public Task Subscribed => _subscribed.Task;

    public MqttSourceStatistics Statistics
    {
        get
        {
            var connections = _connections;
            return new MqttSourceStatistics(
                connections.Sum(c => c.Counters.Received),
                connections.Sum(c => c.Counters.Acknowledged),
                connections.Sum(c => c.Counters.InFlight),
                connections.Length == 0 ? 0 : connections.Max(c => c.Counters.MaxInFlightObserved),
                connections.Sum(c => c.Counters.Qos0Dropped),
                connections.Sum(c => c.Counters.Reconnects),
                connections.Sum(c => c.Counters.SessionsLost));
        }
    }

    /// <summary>Starts the connection loops (called once, from the stage's PreStart).</summary>
    public void Start(ILoggingAdapter log)
    {
        _connections = Enumerable.Range(0, _settings.ConnectionCount)
            .Select(i => new MqttSourceConnection(_settings, i, _buffer.Writer, log))
            .ToArray();
        _metrics = new MqttSourceMetrics(_settings.Name, _connections.Select(c => c.Counters).ToArray(), _meterFactory);
        log.Info("Starting {0}", _settings);
        _connectionsDone = Task.WhenAll(_connections.Select(c => Task.Run(() => c.RunAsync(() => _graceful, _stop.Token))));
        _ = Task.WhenAll(_connections.Select(c => c.Subscribed)).ContinueWith(
            t => _ = t.IsCompletedSuccessfully ? _subscribed.TrySetResult() : _subscribed.TrySetCanceled(),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopRequested.TrySetResult();
        await _completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task DrainAndShutdownAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        foreach (var connection in _connections)
        {
            connection.StartDraining();
        }

        try
        {
            await Task.WhenAll(_connections.Select(c => c.WhenIdleAsync())).WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Whatever is still unacknowledged is redelivered on the next start.
        }

        await StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Called from the stage's PostStop: ends the connection loops (gracefully or, after a failure, by
    /// dropping the sockets) and completes <see cref="Completion"/> once they have ended.
    /// </summary>
    public void Shutdown(bool graceful, Exception? failure)
    {
        if (Interlocked.Exchange(ref _shutdownStarted, 1) == 1)
        {
            return;
        }

        _graceful = graceful;
        _stop.Cancel();
        _ = FinishAsync(failure);
    }

    private async Task FinishAsync(Exception? failure)
    {
        try
        {
            await _connectionsDone.ConfigureAwait(false);
        }
        finally
        {
            _buffer.Writer.TryComplete();
            _metrics?.Dispose();
            _stop.Dispose();
            _subscribed.TrySetCanceled();
            if (failure is null)
            {
                _completion.TrySetResult();
            }
            else
            {
                _completion.TrySetException(failure);
            }
        }
    }
}
