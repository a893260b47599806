using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// A publish-only MQTT 3.1.1 / 5.0 client for QoS 0 and 1, written for load generation: a PUBLISH is encoded
/// straight into a pending buffer under one lock, one flusher task sends whatever has accumulated in one socket
/// write, and one reader task parses every PUBACK of a socket read in one pass and completes their publishes.
/// Per publish it allocates one <see cref="TaskCompletionSource{TResult}"/> (QoS 1) or nothing (QoS 0), where a
/// general client allocates a message, a packet, an awaitable, timeout sources and several task continuations;
/// on two shared cores that CPU goes to the broker instead.
/// Bounded: at most 65,535 publishes in flight (the packet identifier space; a caller exceeding it gets an
/// exception) and, when the broker announced a Receive Maximum, publishes beyond it wait. The pending buffer
/// holds at most <c>maxPendingBytes</c> (a larger single packet is accepted alone); a publisher waits for the
/// flusher when it is full. A completed publish's continuation runs on the reader task. A QoS 0 publish completes
/// once queued for the socket (as it did through MQTTnet on the coalescing channel).
/// A failed connection fails every publish in flight with an <see cref="IOException"/>; a graceful close sends
/// what is pending and a DISCONNECT first.
/// </summary>
internal sealed class DirectMqttConnection : ITransportConnection
{
    private const int ReadBufferSize = 64 * 1024;
    private const int TcpLevel = 6;
    private const int TcpQuickAck = 12;
    private static readonly Task<bool> Accepted = Task.FromResult(true);
    private static readonly byte[] QuickAckOn = BitConverter.GetBytes(1);

    private readonly Socket _socket;
    private readonly bool _v5;
    private readonly bool _qos1;
    private readonly int _maxPendingBytes;
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource<bool>?[] _inflight = new TaskCompletionSource<bool>?[ushort.MaxValue + 1];
    private readonly SemaphoreSlim? _receiveWindow;
    private readonly SemaphoreSlim _dataAvailable = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Timer? _ping;
    private ArrayBufferWriter<byte> _pending;
    private ArrayBufferWriter<byte> _sending;
    private TaskCompletionSource? _spaceFreed;
    private TaskCompletionSource? _drained;
    private bool _signalled;
    private Exception? _failure;
    private ushort _lastId;
    private int _closed;

    private DirectMqttConnection(Socket socket, bool v5, bool qos1, int receiveMaximum, int keepAliveSec, int maxPendingBytes, byte[] readBuffer, int buffered)
    {
        _socket = socket;
        _v5 = v5;
        _qos1 = qos1;
        _maxPendingBytes = maxPendingBytes;
        _pending = new ArrayBufferWriter<byte>(maxPendingBytes);
        _sending = new ArrayBufferWriter<byte>(maxPendingBytes);
        _receiveWindow = qos1 && receiveMaximum is > 0 and < ushort.MaxValue ? new SemaphoreSlim(receiveMaximum, receiveMaximum) : null;
        _ = Task.Run(FlushLoopAsync, CancellationToken.None);
        _ = Task.Run(() => ReadLoopAsync(readBuffer, buffered), CancellationToken.None);
        if (keepAliveSec > 0)
        {
            var period = TimeSpan.FromSeconds(keepAliveSec / 2.0);
            _ping = new Timer(_ => Ping(), null, period, period);
        }
    }

    /// <inheritdoc />
    public bool IsConnected => Volatile.Read(ref _closed) == 0 && Volatile.Read(ref _failure) is null;

    /// <summary>Opens a TCP connection, sends CONNECT (clean session) and waits for a successful CONNACK.</summary>
    public static async Task<DirectMqttConnection> ConnectAsync(
        TransportOptions options, string clientId, CancellationToken cancellationToken, int maxPendingBytes = 256 * 1024)
    {
        ArgumentNullException.ThrowIfNull(options);
        var v5 = options.MqttVersion == 5;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.ConnectTimeoutSec));
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(options.Host, options.Port, timeout.Token);
            await SendAllAsync(socket, MqttWire.Connect(clientId, v5, options.KeepAliveSec), timeout.Token);
            var buffer = new byte[ReadBufferSize];
            var end = 0;
            while (true)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, timeout.Token);
                if (read == 0)
                {
                    throw new IOException($"The broker closed the connection of {clientId} before CONNACK.");
                }

                end += read;
                if (!MqttWire.TryReadHeader(buffer.AsSpan(0, end), out var type, out var header, out var remaining) || end < header + remaining)
                {
                    continue;
                }

                if (type != MqttWire.ConnAck)
                {
                    throw new IOException($"Expected CONNACK, got packet type 0x{type:X2}.");
                }

                var (code, receiveMaximum) = MqttWire.ReadConnAck(buffer.AsSpan(header, remaining), v5);
                if (code != 0)
                {
                    throw new InvalidOperationException($"The broker refused {clientId}: reason code 0x{code:X2}.");
                }

                var consumed = header + remaining;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, end - consumed);
                return new DirectMqttConnection(socket, v5, options.Qos >= 1, receiveMaximum, options.KeepAliveSec, maxPendingBytes, buffer, end - consumed);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public Task<bool> PublishAsync(string topic, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(topic);
        return _receiveWindow is null ? Publish(topic, payload, cancellationToken) : PublishWindowedAsync(topic, payload, cancellationToken);
    }

    /// <inheritdoc />
    public async Task CloseAsync(bool graceful, CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        if (_ping is not null)
        {
            await _ping.DisposeAsync();
        }

        if (graceful)
        {
            Task? drained = null;
            lock (_gate)
            {
                if (_failure is null)
                {
                    _pending.Write(MqttWire.DisconnectPacket);
                    Signal();
                    _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    drained = _drained.Task;
                }
            }

            if (drained is not null)
            {
                try
                {
                    await drained.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                }
                catch (Exception e) when (e is TimeoutException or OperationCanceledException)
                {
                    // Closing anyway.
                }
            }
        }

        Fail(new IOException("The connection was closed."));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await CloseAsync(graceful: true);

    private static async Task SendAllAsync(Socket socket, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    private async Task<bool> PublishWindowedAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _receiveWindow!.WaitAsync(cancellationToken);
        try
        {
            return await Publish(topic, payload, cancellationToken);
        }
        finally
        {
            _receiveWindow.Release();
        }
    }

    private Task<bool> Publish(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        Task wait;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException<bool>(new IOException("The connection failed.", _failure));
            }

            var size = payload.Length + (topic.Length * 3) + 16;
            if (_pending.WrittenCount == 0 || _pending.WrittenCount + size <= _maxPendingBytes)
            {
                TaskCompletionSource<bool>? completion = null;
                ushort id = 0;
                if (_qos1)
                {
                    id = NextId();
                    completion = new TaskCompletionSource<bool>();
                    _inflight[id] = completion;
                }

                MqttWire.WritePublish(_pending, topic, payload.Span, _qos1, id, _v5);
                Signal();
                return completion?.Task ?? Accepted;
            }

            _spaceFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            wait = _spaceFreed.Task;
        }

        return PublishAfterSpaceAsync(wait, topic, payload, cancellationToken);
    }

    private async Task<bool> PublishAfterSpaceAsync(Task wait, string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await wait.WaitAsync(cancellationToken);
        return await Publish(topic, payload, cancellationToken);
    }

    private ushort NextId()
    {
        for (var i = 0; i < ushort.MaxValue; i++)
        {
            _lastId = _lastId == ushort.MaxValue ? (ushort)1 : (ushort)(_lastId + 1);
            if (_inflight[_lastId] is null)
            {
                return _lastId;
            }
        }

        throw new InvalidOperationException("65,535 QoS 1 publishes are in flight on one connection; the caller must bound them.");
    }

    private void Signal()
    {
        if (!_signalled)
        {
            _signalled = true;
            _dataAvailable.Release();
        }
    }

    private void Ping()
    {
        lock (_gate)
        {
            if (_failure is null)
            {
                _pending.Write(MqttWire.PingRequest);
                Signal();
            }
        }
    }

    private async Task FlushLoopAsync()
    {
        try
        {
            while (true)
            {
                await _dataAvailable.WaitAsync(_stop.Token);
                TaskCompletionSource? spaceFreed;
                lock (_gate)
                {
                    (_pending, _sending) = (_sending, _pending);
                    _pending.ResetWrittenCount();
                    _signalled = false;
                    spaceFreed = _spaceFreed;
                    _spaceFreed = null;
                }

                spaceFreed?.TrySetResult();
                if (_sending.WrittenCount > 0)
                {
                    await SendAllAsync(_socket, _sending.WrittenMemory, _stop.Token);
                }

                TaskCompletionSource? drained = null;
                lock (_gate)
                {
                    if (_pending.WrittenCount == 0)
                    {
                        drained = _drained;
                        _drained = null;
                    }
                }

                drained?.TrySetResult();
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    private async Task ReadLoopAsync(byte[] buffer, int end)
    {
        var completions = new List<(TaskCompletionSource<bool> Completion, bool Accepted)>(256);
        var start = 0;
        try
        {
            while (true)
            {
                lock (_gate)
                {
                    start = Parse(buffer, start, end, completions);
                }

                foreach (var (completion, accepted) in completions)
                {
                    completion.TrySetResult(accepted);
                }

                completions.Clear();
                if (start == end)
                {
                    start = end = 0;
                }
                else if (start > 0)
                {
                    Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
                    end -= start;
                    start = 0;
                }

                if (end == buffer.Length)
                {
                    throw new IOException("A packet from the broker is larger than the read buffer.");
                }

                var read = await _socket.ReceiveAsync(buffer.AsMemory(end), SocketFlags.None, _stop.Token);
                if (read == 0)
                {
                    throw new IOException("The broker closed the connection.");
                }

                end += read;
                QuickAck();
            }
        }
        catch (Exception e)
        {
            Fail(e);
        }
    }

    /// <summary>
    /// Linux: acknowledge received data at once instead of delaying the ACK. Mosquitto sends with Nagle's algorithm on
    /// (its default), so it holds further PUBACKs until our ACK arrives; with the window full we have no PUBLISH for
    /// the ACK to ride on, and a delayed ACK would stall the connection for up to 40 ms. The kernel clears the flag
    /// again on its own, so it is set after every read.
    /// </summary>
    private void QuickAck()
    {
        if (OperatingSystem.IsLinux())
        {
            _socket.SetRawSocketOption(TcpLevel, TcpQuickAck, QuickAckOn);
        }
    }

    /// <summary>Consumes the complete packets in buffer[start..end); returns where the first incomplete one starts.</summary>
    private int Parse(byte[] buffer, int start, int end, List<(TaskCompletionSource<bool>, bool)> completions)
    {
        while (MqttWire.TryReadHeader(buffer.AsSpan(start, end - start), out var type, out var header, out var remaining) && end - start >= header + remaining)
        {
            var body = buffer.AsSpan(start + header, remaining);
            switch (type & 0xF0)
            {
                case MqttWire.PubAck when remaining >= 2:
                    var id = BinaryPrimitives.ReadUInt16BigEndian(body);
                    var completion = _inflight[id];
                    if (completion is not null)
                    {
                        _inflight[id] = null;
                        completions.Add((completion, remaining < 3 || body[2] < 0x80));
                    }

                    break;
                case MqttWire.PingResp:
                    break;
                case MqttWire.Disconnect:
                    throw new IOException($"The broker disconnected{(remaining > 0 ? $" with reason code 0x{body[0]:X2}" : string.Empty)}.");
                default:
                    throw new IOException($"Unexpected packet type 0x{type:X2} from the broker.");
            }

            start += header + remaining;
        }

        return start;
    }

    private void Fail(Exception failure)
    {
        var failed = new List<TaskCompletionSource<bool>>();
        TaskCompletionSource? spaceFreed, drained;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return;
            }

            Volatile.Write(ref _failure, failure);
            for (var i = 0; i < _inflight.Length; i++)
            {
                if (_inflight[i] is { } completion)
                {
                    failed.Add(completion);
                    _inflight[i] = null;
                }
            }

            spaceFreed = _spaceFreed;
            drained = _drained;
            _spaceFreed = _drained = null;
        }

        _stop.Cancel();
        _socket.Dispose();
        _ping?.Dispose();
        var exception = new IOException("The connection failed before the broker acknowledged the publish.", failure);
        foreach (var completion in failed)
        {
            completion.TrySetException(exception);
        }

        spaceFreed?.TrySetResult();
        drained?.TrySetResult();
    }
}
