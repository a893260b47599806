namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// One HTTP "connection": gathers concurrent publishes into a batch, sent when it holds <c>batchSize</c> messages or
/// <c>linger</c> after its first one. Each publish completes with its message's outcome. The batch is bounded by
/// <c>batchSize</c>; the number of publishes waiting is bounded by the caller's in-flight limit.
/// </summary>
internal sealed class HttpBatchConnection(HttpTransport transport, int batchSize, TimeSpan linger) : ITransportConnection
{
    private readonly object _gate = new();
    private List<(ReadOnlyMemory<byte> Payload, TaskCompletionSource<bool> Done)> _batch = [];
    private long _generation;
    private int _closed;

    public bool IsConnected => Volatile.Read(ref _closed) == 0;

    public Task<bool> PublishAsync(string topic, string key, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        if (!IsConnected)
        {
            throw new InvalidOperationException("The connection was dropped.");
        }

        var done = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        List<(ReadOnlyMemory<byte>, TaskCompletionSource<bool>)>? full = null;
        long? lingerGeneration = null;
        lock (_gate)
        {
            _batch.Add((payload, done));
            if (_batch.Count >= batchSize)
            {
                full = Take();
            }
            else if (_batch.Count == 1)
            {
                lingerGeneration = _generation;
            }
        }

        if (full is not null)
        {
            _ = SendAsync(full);
        }
        else if (lingerGeneration is { } generation)
        {
            _ = FlushAfterLingerAsync(generation);
        }

        return done.Task;
    }

    public Task CloseAsync(bool graceful, CancellationToken cancellationToken = default)
    {
        Interlocked.Exchange(ref _closed, 1);
        List<(ReadOnlyMemory<byte>, TaskCompletionSource<bool>)> rest;
        lock (_gate)
        {
            rest = Take();
        }

        if (rest.Count == 0)
        {
            return Task.CompletedTask;
        }

        if (graceful)
        {
            return SendAsync(rest);
        }

        foreach (var (_, done) in rest)
        {
            done.TrySetException(new InvalidOperationException("The connection was dropped before the batch was sent."));
        }

        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => new(CloseAsync(graceful: true));

    private List<(ReadOnlyMemory<byte>, TaskCompletionSource<bool>)> Take()
    {
        var taken = _batch;
        _batch = [];
        _generation++;
        return taken;
    }

    private async Task FlushAfterLingerAsync(long generation)
    {
        await Task.Delay(linger);
        List<(ReadOnlyMemory<byte>, TaskCompletionSource<bool>)>? due = null;
        lock (_gate)
        {
            if (_generation == generation && _batch.Count > 0)
            {
                due = Take();
            }
        }

        if (due is not null)
        {
            await SendAsync(due);
        }
    }

    private async Task SendAsync(List<(ReadOnlyMemory<byte> Payload, TaskCompletionSource<bool> Done)> batch)
    {
        try
        {
            var results = await transport.SendAsync(batch.Select(b => b.Payload).ToList(), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            foreach (var (_, done) in batch)
            {
                done.TrySetException(e);
            }
        }
    }
}
