using System.Net;
using ReactiveIngest.Simulator.Payloads;

namespace ReactiveIngest.Simulator.Transport;

/// <summary>
/// HTTP to the service's <c>POST /api/ingest</c>: each connection gathers messages into batches (a JSON array, or
/// lines of line protocol) of at most <see cref="HttpTransportOptions.BatchSize"/>, sent when full or after
/// <see cref="HttpTransportOptions.LingerMs"/>. 429 is retried after its Retry-After; a 400 batch is split and its
/// messages sent one by one, so one malformed payload refuses only itself. One pooled HttpClient serves all
/// connections, with at most <see cref="HttpTransportOptions.MaxConcurrentRequests"/> requests in flight.
/// </summary>
public sealed class HttpTransport : ITransport, IAsyncDisposable
{
    private readonly HttpTransportOptions _options;
    private readonly HttpClient _client;
    private readonly SemaphoreSlim _requests;
    private readonly Uri _ingest;
    private readonly string _mediaType;
    private readonly bool _json;

    /// <summary>Creates the client; <paramref name="format"/> decides how batches are joined and their Content-Type.</summary>
    public HttpTransport(HttpTransportOptions options, PayloadFormat format)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _json = format == PayloadFormat.Json;
        _mediaType = _json ? "application/json" : "text/plain";
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.MaxConcurrentRequests, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(60),
        };
        if (options.ApiKey is { Length: > 0 } key)
        {
            _client.DefaultRequestHeaders.Add("X-Api-Key", key);
        }

        _requests = new SemaphoreSlim(options.MaxConcurrentRequests, options.MaxConcurrentRequests);
        _ingest = new Uri(new Uri(options.Url), "/api/ingest");
        Retries = new RetryCounter();
    }

    /// <inheritdoc />
    public string Name => "http";

    /// <summary>429 answers received (each retried after Retry-After).</summary>
    public RetryCounter Retries { get; }

    /// <summary>Checks that the service answers <c>/health/live</c>, then opens a batching connection.</summary>
    public async Task<ITransportConnection> ConnectAsync(string clientId, CancellationToken cancellationToken = default)
    {
        using var response = await _client.GetAsync(new Uri(_ingest, "/health/live"), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{_options.Url}/health/live answered {(int)response.StatusCode}.");
        }

        return new HttpBatchConnection(this, _options.BatchSize, TimeSpan.FromMilliseconds(_options.LingerMs));
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _requests.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Sends <paramref name="batch"/>; returns per message whether it was accepted. Throws when the service cannot be
    /// reached or keeps answering 429, so the caller keeps the messages for a retry.
    /// </summary>
    internal async Task<bool[]> SendAsync(IReadOnlyList<ReadOnlyMemory<byte>> batch, CancellationToken cancellationToken)
    {
        var status = await PostAsync(batch, cancellationToken);
        if (status is >= 200 and < 300)
        {
            return Enumerable.Repeat(true, batch.Count).ToArray();
        }

        if (status == (int)HttpStatusCode.BadRequest && batch.Count > 1)
        {
            var results = new bool[batch.Count];
            for (var i = 0; i < batch.Count; i++)
            {
                var single = await PostAsync([batch[i]], cancellationToken);
                results[i] = single is >= 200 and < 300;
            }

            return results;
        }

        return new bool[batch.Count]; // refused (400 for one message, 413, 415): the payload is the problem
    }

    private async Task<int> PostAsync(IReadOnlyList<ReadOnlyMemory<byte>> batch, CancellationToken cancellationToken)
    {
        var body = Join(batch);
        for (var attempt = 0; ; attempt++)
        {
            await _requests.WaitAsync(cancellationToken);
            TimeSpan? retryAfter;
            try
            {
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(_mediaType);
                using var response = await _client.PostAsync(_ingest, content, cancellationToken);
                if (response.StatusCode != HttpStatusCode.TooManyRequests)
                {
                    return (int)response.StatusCode;
                }

                Retries.Increment();
                retryAfter = response.Headers.RetryAfter?.Delta
                             ?? (response.Headers.RetryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
            }
            finally
            {
                _requests.Release();
            }

            if (attempt >= _options.MaxRetries)
            {
                throw new HttpRequestException($"{_ingest} answered 429 {attempt + 1} times in a row.");
            }

            var wait = retryAfter is { } r && r > TimeSpan.Zero ? r : TimeSpan.FromSeconds(1);
            await Task.Delay(wait, cancellationToken);
        }
    }

    private byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> batch)
    {
        if (batch.Count == 1)
        {
            return batch[0].ToArray();
        }

        var length = batch.Sum(p => p.Length) + batch.Count + (_json ? 1 : 0);
        var body = new byte[length];
        var n = 0;
        if (_json)
        {
            body[n++] = (byte)'[';
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0)
            {
                body[n++] = _json ? (byte)',' : (byte)'\n';
            }

            batch[i].Span.CopyTo(body.AsSpan(n));
            n += batch[i].Length;
        }

        if (_json)
        {
            body[n++] = (byte)']';
        }

        return body[..n];
    }
}
