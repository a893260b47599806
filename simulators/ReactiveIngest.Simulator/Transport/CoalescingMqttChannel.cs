using System.Buffers;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MQTTnet.Channel;
using MQTTnet.Exceptions;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// An MQTTnet channel that coalesces writes and buffers reads. Each packet MQTTnet writes is copied into a pending
/// buffer, and one flusher task sends whatever has accumulated in a single socket write; under load that turns one
/// send system call per PUBLISH (two with packet fragmentation) into one per batch, which is where the simulator
/// spent most of its CPU. Reads are served from a 64 KB buffer refilled by one socket read, instead of one read per
/// fixed header and body of every PUBACK. Connects go straight to the inner channel.
/// Bounded: the pending buffer holds at most <c>maxPendingBytes</c> (a larger single packet is accepted alone); a
/// writer waits for the flusher when it is full, which backpressures MQTTnet's send path and so the publisher.
/// A graceful disconnect flushes what is pending first; dispose drops it, as a network failure would.
/// </summary>
internal sealed class CoalescingMqttChannel(IMqttChannel inner, int maxPendingBytes = 256 * 1024) : IMqttChannel
{
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _dataAvailable = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private ArrayBufferWriter<byte> _pending = new(maxPendingBytes);
    private ArrayBufferWriter<byte> _sending = new(maxPendingBytes);
    private TaskCompletionSource? _spaceFreed;
    private TaskCompletionSource? _drained;
    private bool _signalled;
    private bool _flushing;
    private Exception? _failure;
    private Task _flusher = Task.CompletedTask;
    private readonly byte[] _readBuffer = new byte[64 * 1024];
    private int _readStart;
    private int _readEnd;

    /// <inheritdoc />
    public X509Certificate2 ClientCertificate => inner.ClientCertificate;

    /// <inheritdoc />
    public EndPoint RemoteEndPoint => inner.RemoteEndPoint;

    /// <inheritdoc />
    public EndPoint LocalEndPoint => inner.LocalEndPoint;

    /// <inheritdoc />
    public bool IsSecureConnection => inner.IsSecureConnection;

    /// <inheritdoc />
    public async Task ConnectAsync(CancellationToken cancellationToken)
    {
        await inner.ConnectAsync(cancellationToken);
        _flusher = Task.Run(FlushLoopAsync, CancellationToken.None);
    }

    /// <inheritdoc />
    public Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        // MQTTnet has one reader per connection, so the read buffer needs no lock.
        if (_readStart < _readEnd)
        {
            return Task.FromResult(TakeBuffered(buffer, offset, count));
        }

        return count >= _readBuffer.Length
            ? inner.ReadAsync(buffer, offset, count, cancellationToken)
            : RefillAndReadAsync(buffer, offset, count, cancellationToken);
    }

    /// <inheritdoc />
    public Task WriteAsync(ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        Task? wait = null;
        lock (_gate)
        {
            if (_failure is not null)
            {
                return Task.FromException(new MqttCommunicationException("The connection failed while sending.", _failure));
            }

            if (_pending.WrittenCount > 0 && _pending.WrittenCount + buffer.Length > maxPendingBytes)
            {
                _spaceFreed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _spaceFreed.Task;
            }
            else
            {
                Append(buffer);
            }
        }

        return wait is null ? Task.CompletedTask : WriteAfterSpaceAsync(wait, buffer, isEndOfPacket, cancellationToken);
    }

    /// <inheritdoc />
    public async Task DisconnectAsync(CancellationToken cancellationToken)
    {
        Task? drained = null;
        lock (_gate)
        {
            if (_failure is null && (_pending.WrittenCount > 0 || _flushing))
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }
        }

        if (drained is not null)
        {
            await drained.WaitAsync(cancellationToken);
        }

        await _stop.CancelAsync();
        await inner.DisconnectAsync(cancellationToken);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _stop.Cancel();
        inner.Dispose();
        _stop.Dispose();
    }

    private async Task WriteAfterSpaceAsync(Task wait, ReadOnlySequence<byte> buffer, bool isEndOfPacket, CancellationToken cancellationToken)
    {
        await wait.WaitAsync(cancellationToken);
        await WriteAsync(buffer, isEndOfPacket, cancellationToken);
    }

    private async Task<int> RefillAndReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        var read = await inner.ReadAsync(_readBuffer, 0, _readBuffer.Length, cancellationToken);
        if (read <= 0)
        {
            return read;
        }

        _readStart = 0;
        _readEnd = read;
        return TakeBuffered(buffer, offset, count);
    }

    private int TakeBuffered(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(count, _readEnd - _readStart);
        Buffer.BlockCopy(_readBuffer, _readStart, buffer, offset, n);
        _readStart += n;
        return n;
    }

    private void Append(ReadOnlySequence<byte> buffer)
    {
        foreach (var segment in buffer)
        {
            _pending.Write(segment.Span);
        }

        if (!_signalled)
        {
            _signalled = true;
            _dataAvailable.Release();
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
                    _flushing = true;
                    spaceFreed = _spaceFreed;
                    _spaceFreed = null;
                }

                spaceFreed?.TrySetResult();
                if (_sending.WrittenCount > 0)
                {
                    await inner.WriteAsync(new ReadOnlySequence<byte>(_sending.WrittenMemory), true, _stop.Token);
                }

                TaskCompletionSource? drained = null;
                lock (_gate)
                {
                    _flushing = false;
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
            TaskCompletionSource? spaceFreed, drained;
            lock (_gate)
            {
                _failure = e;
                spaceFreed = _spaceFreed;
                drained = _drained;
                _spaceFreed = _drained = null;
            }

            spaceFreed?.TrySetResult();
            drained?.TrySetResult();
        }
    }
}
