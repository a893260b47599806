using System.Threading.Channels;
using MQTTnet;
using ReactiveIngest.Mqtt.Metrics;

namespace ReactiveIngest.Mqtt.Connection;

/// <summary>
/// Acknowledgement bookkeeping for one network connection (one CONNACK). It admits at most
/// <c>maxInFlight</c> unacknowledged QoS 1/2 messages, keeps them in arrival order, and sends the
/// acknowledgements in that order from its own task once the envelopes' handles are released (a handle
/// released early waits for its predecessors).
/// </summary>
/// <remarks>
/// Packet identifiers belong to a connection: after a reconnect the broker redelivers whatever was not
/// acknowledged, and a PUBACK for an old identifier could acknowledge a different, new message. So a
/// session is closed when its connection ends, and releases of its handles are ignored from then on.
/// Bounds: the pending queue and the send queue hold at most <c>maxInFlight</c> entries (enforced by the slot semaphore).
/// </remarks>
internal sealed class AckSession : IAsyncDisposable
{
    private readonly object _gate = new();
    private readonly Queue<PendingAck> _pending;
    private readonly SemaphoreSlim _slots;
    private readonly Channel<PendingAck> _toSend;
    private readonly CancellationTokenSource _closed = new();
    private readonly ConnectionCounters _counters;
    private readonly Action<Exception> _onAckFailed;
    private readonly Task _sender;
    private TaskCompletionSource? _idle;
    private int _inFlight;
    private bool _isClosed;

    public AckSession(int maxInFlight, ConnectionCounters counters, Action<Exception> onAckFailed)
    {
        _pending = new Queue<PendingAck>(Math.Min(maxInFlight, 1024));
        _slots = new SemaphoreSlim(maxInFlight, maxInFlight);
        _toSend = Channel.CreateBounded<PendingAck>(new BoundedChannelOptions(maxInFlight) { SingleReader = true });
        _counters = counters;
        _onAckFailed = onAckFailed;
        _sender = Task.Run(SendAcknowledgementsAsync);
    }

    /// <summary>Cancelled when the session closes.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Unacknowledged messages of this session.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>
    /// Admits a QoS 1/2 message, waiting while <c>maxInFlight</c> messages are unacknowledged (this holds
    /// up the client's delivery of further messages: backpressure). Null when the session closed meanwhile.
    /// </summary>
    public async ValueTask<PendingAck?> AdmitAsync(MqttApplicationMessageReceivedEventArgs message)
    {
        if (!_slots.Wait(0))
        {
            try
            {
                await _slots.WaitAsync(_closed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
        }

        var pending = new PendingAck(this, message);
        lock (_gate)
        {
            if (_isClosed)
            {
                return null;
            }

            _pending.Enqueue(pending);
            _inFlight++;
        }

        _counters.AddInFlight(1);
        return pending;
    }

    /// <summary>Called when a handle's last reference is released.</summary>
    public void OnReleased(PendingAck released)
    {
        lock (_gate)
        {
            if (_isClosed)
            {
                return;
            }

            released.Done = true;
            while (_pending.TryPeek(out var head) && head.Done)
            {
                _pending.Dequeue();

                // Cannot fail: at most maxInFlight entries exist, and the channel holds maxInFlight.
                _toSend.Writer.TryWrite(head);
            }
        }
    }

    /// <summary>Completes when no message is unacknowledged (or the session closed).</summary>
    public Task WhenIdleAsync()
    {
        lock (_gate)
        {
            if (_isClosed || _inFlight == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }

    /// <summary>
    /// Ends the session: pending acknowledgements are dropped (the broker redelivers those messages on the
    /// next connection), waiting admissions give up, and later releases are ignored.
    /// </summary>
    public void Close()
    {
        int dropped;
        lock (_gate)
        {
            if (_isClosed)
            {
                return;
            }

            _isClosed = true;
            dropped = _inFlight;
            _inFlight = 0;
            _pending.Clear();
            _idle?.TrySetResult();
        }

        _counters.AddInFlight(-dropped);
        _toSend.Writer.TryComplete();
        _closed.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        Close();
        await _sender.ConfigureAwait(false);
        _closed.Dispose();
        _slots.Dispose();
    }

    private async Task SendAcknowledgementsAsync()
    {
        await foreach (var pending in _toSend.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_closed.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await pending.Message.AcknowledgeAsync(_closed.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException || _closed.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // An acknowledgement that cannot be sent means the connection is going away; the broker redelivers.
            catch (Exception e)
#pragma warning restore CA1031
            {
                _onAckFailed(e);
                Close();
                return;
            }

            lock (_gate)
            {
                if (_isClosed)
                {
                    return;
                }

                _inFlight--;
                if (_inFlight == 0)
                {
                    _idle?.TrySetResult();
                    _idle = null;
                }
            }

            _counters.AddInFlight(-1);
            _counters.OnAcknowledged();
            _slots.Release();
        }
    }
}
