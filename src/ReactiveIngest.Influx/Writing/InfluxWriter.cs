using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.Buffers;
using ReactiveIngest.Influx.LineProtocol;

namespace ReactiveIngest.Influx.Writing;

/// <summary>
/// Writes <see cref="EncodedBatch"/>es to InfluxDB over HTTP (v1 <c>/write</c> or v2 <c>/api/v2/write</c>),
/// gzip-compressed by default, and does not return until every line is either stored or rejected by the
/// server for a reason that is the line's own.
/// </summary>
/// <remarks>
/// <para>Per request outcome:</para>
/// <list type="bullet">
/// <item>network error, timeout, 429, 5xx: the same request is sent again after an exponential backoff with
/// jitter (<see cref="InfluxWriterOptions.InitialRetryDelay"/> doubling up to <see cref="InfluxWriterOptions.MaxRetryDelay"/>),
/// or after exactly the server's Retry-After when it sends one. After <see cref="InfluxWriterOptions.UnreadyAfterFailures"/>
/// failures in a row the writer reports not ready.</item>
/// <item>413: the lines are split into halves which are written one after the other; a single line that is
/// still too large is rejected (<see cref="RejectReason.TooLarge"/>).</item>
/// <item>400/422 (partial write, field-type conflict, unparsable line): InfluxDB 1.x stores the other lines
/// but names only the first conflict and a dropped count, so the writer isolates the refused lines by
/// bisection: each half is sent again (re-writing a stored point is an idempotent overwrite) until every
/// refused line was sent alone and refused alone. A range whose dropped count equals its size is rejected
/// whole without further requests. Cost: about 2·k·log2(n) requests for k refused lines of n.</item>
/// <item>401, 403, 404 (database or bucket missing), or a 400 that concerns the request rather than its
/// lines (unknown retention policy, bad precision): readiness turns false, the problem is logged once
/// with what to fix, and the request is tried again every <see cref="InfluxWriterOptions.AuthRetryInterval"/>.</item>
/// </list>
/// <para>Nothing is dropped to make progress: a write that keeps failing keeps its batch, and the caller
/// (the sink) stops demand. Only cancellation ends a write early. Thread-safe.</para>
/// </remarks>
public sealed partial class InfluxWriter : IDisposable
{
    private const int MaxMessageLength = 2048;
    private readonly InfluxWriterOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Uri _writeUri;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly Lock _stateLock = new();
    private int _consecutiveFailures;
    private string? _notReadyReason;

    /// <summary>Creates a writer. The options are validated and copied by reference (do not change them afterwards).</summary>
    /// <param name="options">Where and how to write.</param>
    /// <param name="httpClient">A client to use (not disposed by the writer); null creates one.</param>
    /// <param name="logger">Logger for readiness changes and rejected points.</param>
    /// <param name="metrics">Instruments; null creates a set on a private meter.</param>
    /// <param name="timeProvider">Clock for backoff delays.</param>
    public InfluxWriter(InfluxWriterOptions options, HttpClient? httpClient = null, ILogger? logger = null, InfluxMetrics? metrics = null, TimeProvider? timeProvider = null)
    {
        InfluxWriterOptionsValidator.ThrowIfInvalid(options);
        _options = options;
        _ownsHttp = httpClient is null;
        _http = httpClient ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _logger = logger ?? NullLogger.Instance;
        Metrics = metrics ?? new InfluxMetrics();
        _time = timeProvider ?? TimeProvider.System;
        _writeUri = BuildWriteUri(options);
        _authorization = BuildAuthorization(options);
    }

    /// <summary>The options in use.</summary>
    public InfluxWriterOptions Options => _options;

    /// <summary>The instruments this writer records to.</summary>
    public InfluxMetrics Metrics { get; }

    /// <summary>False while writes are refused (401/403/404) or keep failing; true otherwise.</summary>
    public bool IsReady
    {
        get
        {
            lock (_stateLock)
            {
                return _notReadyReason is null;
            }
        }
    }

    /// <summary>Why the writer is not ready (with what to fix), or null when it is.</summary>
    public string? NotReadyReason
    {
        get
        {
            lock (_stateLock)
            {
                return _notReadyReason;
            }
        }
    }

    /// <summary>The write endpoint, with its query string.</summary>
    public Uri WriteUri => _writeUri;

    /// <summary>
    /// Writes every line of <paramref name="batch"/>. Returns once each line is stored or rejected; retries
    /// everything else for as long as it takes.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; what was not yet stored is not acknowledged.</exception>
    public async Task<BatchWriteResult> WriteAsync(EncodedBatch batch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Precision != _options.Precision)
        {
            throw new ArgumentException($"The batch was encoded with precision {batch.Precision}, the writer writes {_options.Precision}.", nameof(batch));
        }

        if (batch.Count == 0)
        {
            return new BatchWriteResult(0, []);
        }

        var rejected = new List<RejectedLine>();
        await WriteRangeAsync(batch, 0, batch.Count, rejected, cancellationToken).ConfigureAwait(false);
        rejected.Sort((a, b) => a.Index.CompareTo(b.Index));
        return new BatchWriteResult(batch.Count - rejected.Count, rejected);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    internal static Uri BuildWriteUri(InfluxWriterOptions options)
    {
        var query = new StringBuilder();
        if (options.ApiVersion == InfluxApiVersion.V2)
        {
            Append(query, "org", options.Organization!);
            Append(query, "bucket", options.Bucket!);
            Append(query, "precision", options.Precision.ToV2QueryValue());
            return new Uri(options.Url!, "api/v2/write?" + query);
        }

        Append(query, "db", options.Database!);
        if (!string.IsNullOrEmpty(options.RetentionPolicy))
        {
            Append(query, "rp", options.RetentionPolicy);
        }

        Append(query, "precision", options.Precision.ToV1QueryValue());
        return new Uri(options.Url!, "write?" + query);

        static void Append(StringBuilder query, string key, string value)
        {
            if (query.Length > 0)
            {
                query.Append('&');
            }

            query.Append(key).Append('=').Append(Uri.EscapeDataString(value));
        }
    }

    internal static AuthenticationHeaderValue? BuildAuthorization(InfluxWriterOptions options)
    {
        if (!string.IsNullOrEmpty(options.Token))
        {
            return new AuthenticationHeaderValue("Token", options.Token);
        }

        if (options.ApiVersion == InfluxApiVersion.V1 && !string.IsNullOrEmpty(options.Username))
        {
            var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
            return new AuthenticationHeaderValue("Basic", credentials);
        }

        return null;
    }

    private async Task WriteRangeAsync(EncodedBatch batch, int start, int count, List<RejectedLine> rejected, CancellationToken cancellationToken)
    {
        var raw = batch.Slice(start, count);
        using var compressed = _options.Gzip ? Compress(raw.Span) : null;
        var body = compressed?.WrittenMemory ?? raw;
        while (true)
        {
            var attempt = await SendAsync(body, cancellationToken).ConfigureAwait(false);
            switch (attempt.Kind)
            {
                case WriteAttemptKind.Success:
                    Metrics.Written(count, body.Length);
                    MarkSucceeded();
                    return;

                case WriteAttemptKind.LinesRejected:
                    MarkSucceeded();
                    if (count == 1 || attempt.Dropped == count)
                    {
                        Reject(start, count, RejectReason.RejectedByStorage, attempt.Message, rejected);
                        return;
                    }

                    await SplitAsync(batch, start, count, rejected, cancellationToken).ConfigureAwait(false);
                    return;

                case WriteAttemptKind.TooLarge:
                    MarkSucceeded();
                    if (count == 1)
                    {
                        Reject(start, 1, RejectReason.TooLarge, attempt.Message, rejected);
                        return;
                    }

                    await SplitAsync(batch, start, count, rejected, cancellationToken).ConfigureAwait(false);
                    return;

                case WriteAttemptKind.Refused:
                    Metrics.Retry();
                    MarkRefused(attempt);
                    await Task.Delay(_options.AuthRetryInterval, _time, cancellationToken).ConfigureAwait(false);
                    break;

                default:
                    Metrics.Retry();
                    var failures = MarkFailed(attempt);
                    await Task.Delay(attempt.RetryAfter ?? Backoff(failures), _time, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task SplitAsync(EncodedBatch batch, int start, int count, List<RejectedLine> rejected, CancellationToken cancellationToken)
    {
        var half = count / 2;
        await WriteRangeAsync(batch, start, half, rejected, cancellationToken).ConfigureAwait(false);
        await WriteRangeAsync(batch, start + half, count - half, rejected, cancellationToken).ConfigureAwait(false);
    }

    private void Reject(int start, int count, RejectReason reason, string message, List<RejectedLine> rejected)
    {
        for (var i = 0; i < count; i++)
        {
            rejected.Add(new RejectedLine(start + i, reason, message));
        }

        Metrics.Rejected(reason, count);
        InfluxWriterLog.PointsRejected(_logger, count, message);
    }

    private async Task<WriteAttempt> SendAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _writeUri);
        request.Content = new ReadOnlyMemoryContent(body);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        if (_options.Gzip)
        {
            request.Content.Headers.ContentEncoding.Add("gzip");
        }

        request.Headers.Authorization = _authorization;
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.RequestTimeout);
        var started = _time.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (status is >= 200 and < 300)
            {
                return WriteAttempt.Success;
            }

            var text = await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false);
            var message = ExtractMessage(text, status);
            return Classify(status, message, RetryAfter(response));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new WriteAttempt(WriteAttemptKind.Transient, 0, $"no answer within {_options.RequestTimeout}");
        }
        catch (HttpRequestException ex)
        {
            return new WriteAttempt(WriteAttemptKind.Transient, 0, ex.Message);
        }
        finally
        {
            Metrics.Duration(_time.GetElapsedTime(started));
        }
    }

    internal static WriteAttempt Classify(int status, string message, TimeSpan? retryAfter)
    {
        switch (status)
        {
            case 400 or 422 when IsRequestLevelProblem(message):
                return new WriteAttempt(WriteAttemptKind.Refused, status, message);
            case 400 or 422:
                var match = DroppedPattern().Match(message);
                int? dropped = match.Success && int.TryParse(match.Groups[1].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
                return new WriteAttempt(WriteAttemptKind.LinesRejected, status, message, null, dropped);
            case 413:
                return new WriteAttempt(WriteAttemptKind.TooLarge, status, message);
            case 401 or 403 or 404:
                return new WriteAttempt(WriteAttemptKind.Refused, status, message);
            case 408 or 429 or >= 500:
                return new WriteAttempt(WriteAttemptKind.Transient, status, message, retryAfter);
            default:
                return new WriteAttempt(WriteAttemptKind.Refused, status, message);
        }
    }

    private static bool IsRequestLevelProblem(string message) =>
        message.Contains("retention policy not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("database not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("bucket not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("organization not found", StringComparison.OrdinalIgnoreCase)
        || message.Contains("precision", StringComparison.OrdinalIgnoreCase);

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string ExtractMessage(string body, int status)
    {
        var message = body.Trim();
        if (message.StartsWith('{'))
        {
            try
            {
                using var document = JsonDocument.Parse(message);
                if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    message = error.GetString()!;
                }
                else if (document.RootElement.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
                {
                    message = text.GetString()!;
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: keep the text as it is.
            }
        }

        if (message.Length == 0)
        {
            message = $"HTTP {status.ToString(CultureInfo.InvariantCulture)} without a message";
        }

        return message.Length > MaxMessageLength ? message[..MaxMessageLength] + "…" : message;
    }

    private TimeSpan Backoff(int failures)
    {
        var initial = _options.InitialRetryDelay.TotalMilliseconds;
        var cap = Math.Min(_options.MaxRetryDelay.TotalMilliseconds, initial * Math.Pow(2, Math.Min(failures - 1, 30)));
        // "Equal jitter": half the delay is fixed so the backoff still grows, half is random so writers spread out.
        return TimeSpan.FromMilliseconds((cap / 2) + (Random.Shared.NextDouble() * cap / 2));
    }

    private void MarkSucceeded()
    {
        bool recovered;
        lock (_stateLock)
        {
            recovered = _notReadyReason is not null;
            _notReadyReason = null;
            _consecutiveFailures = 0;
        }

        if (recovered)
        {
            InfluxWriterLog.WritesRecovered(_logger);
        }
    }

    private int MarkFailed(WriteAttempt attempt)
    {
        int failures;
        var log = false;
        lock (_stateLock)
        {
            failures = ++_consecutiveFailures;
            if (failures >= _options.UnreadyAfterFailures && _notReadyReason is null)
            {
                _notReadyReason = $"InfluxDB at {_options.Url} keeps failing: {Describe(attempt)}";
                log = true;
            }
        }

        if (log)
        {
            InfluxWriterLog.WritesFailing(_logger, failures, Describe(attempt));
        }

        return failures;
    }

    private void MarkRefused(WriteAttempt attempt)
    {
        var fix = Fix(attempt.Status);
        var reason = $"InfluxDB refuses writes (HTTP {attempt.Status.ToString(CultureInfo.InvariantCulture)}: {attempt.Message}). {fix}";
        bool log;
        lock (_stateLock)
        {
            _consecutiveFailures++;
            log = !string.Equals(_notReadyReason, reason, StringComparison.Ordinal);
            _notReadyReason = reason;
        }

        if (log)
        {
            InfluxWriterLog.WritesRefused(_logger, attempt.Status, attempt.Message, fix, _options.AuthRetryInterval);
        }
    }

    private string Fix(int status)
    {
        var s = InfluxWriterOptions.SectionName;
        var v1 = _options.ApiVersion == InfluxApiVersion.V1;
        return status switch
        {
            401 => v1
                ? $"check {s}:Username and {s}:Password (or {s}:Token)."
                : $"check {s}:Token; it must be a valid API token.",
            403 => v1
                ? $"grant the user in {s}:Username WRITE on database '{_options.Database}'."
                : $"give the token in {s}:Token write permission on bucket '{_options.Bucket}' of organization '{_options.Organization}'.",
            404 => v1
                ? $"create database '{_options.Database}' or correct {s}:Database (and {s}:Url)."
                : $"create bucket '{_options.Bucket}' in organization '{_options.Organization}' or correct {s}:Bucket, {s}:Organization and {s}:Url.",
            _ => $"check {s}:Url, {s}:Database/{s}:Bucket, {s}:RetentionPolicy and {s}:Precision.",
        };
    }

    private static string Describe(WriteAttempt attempt) =>
        attempt.Status == 0 ? attempt.Message : $"HTTP {attempt.Status.ToString(CultureInfo.InvariantCulture)}: {attempt.Message}";

    private static PooledBufferWriter Compress(ReadOnlySpan<byte> raw)
    {
        var output = new PooledBufferWriter(Math.Max(256, raw.Length / 4));
        try
        {
            using (var gzip = new GZipStream(new BufferWriterStream(output), CompressionLevel.Fastest, leaveOpen: false))
            {
                gzip.Write(raw);
            }

            return output;
        }
        catch
        {
            output.Dispose();
            throw;
        }
    }

    [GeneratedRegex(@"dropped=(\d+)", RegexOptions.CultureInvariant)]
    private static partial Regex DroppedPattern();
}
