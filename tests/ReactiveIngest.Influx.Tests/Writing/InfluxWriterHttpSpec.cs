using System.Diagnostics;
using Microsoft.Extensions.Logging;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Tests.Support;
using ReactiveIngest.Influx.Writing;
using Xunit;

namespace ReactiveIngest.Influx.Tests.Writing;

/// <summary>
/// Writer behaviour that influxd 1.6 cannot show (v2 API, 413, 429 + Retry-After, 401), checked against an
/// in-process HTTP listener on a free loopback port.
/// </summary>
public sealed class InfluxWriterHttpSpec
{
    private static EncodedBatch Batch(int count, WritePrecision precision = WritePrecision.Nanoseconds)
    {
        var batch = new EncodedBatch(precision);
        for (var i = 0; i < count; i++)
        {
            Assert.Null(batch.TryAdd(PointBuilder.Measurement("m").Tag("deviceId", $"d{i}").Field("value", i + 0.5).Timestamp(1_700_000_000_000_000_000L + i).Build()));
        }

        return batch;
    }

    private static InfluxWriterOptions V1(Uri url) => new()
    {
        Url = url,
        Database = "db",
        InitialRetryDelay = TimeSpan.FromMilliseconds(5),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        AuthRetryInterval = TimeSpan.FromMilliseconds(50),
    };

    [Fact]
    public async Task V2_request_shape_is_checked_against_an_in_process_listener_because_no_InfluxDB_2_server_is_available_here()
    {
        await using var server = new ScriptedHttpListener((_, _) => ScriptedResponse.NoContent);
        var options = new InfluxWriterOptions
        {
            Url = server.BaseAddress,
            ApiVersion = InfluxApiVersion.V2,
            Organization = "my org",
            Bucket = "sensors/raw",
            Token = "s3cr3t==",
            Precision = WritePrecision.Milliseconds,
        };
        using var writer = new InfluxWriter(options);
        using var batch = Batch(3, WritePrecision.Milliseconds);

        var result = await writer.WriteAsync(batch);

        Assert.Equal(3, result.Written);
        var request = Assert.Single(server.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v2/write?org=my%20org&bucket=sensors%2Fraw&precision=ms", request.RawUrl);
        Assert.Equal("Token s3cr3t==", request.Headers["Authorization"]);
        Assert.Equal("gzip", request.Headers["Content-Encoding"]);
        Assert.Equal("text/plain; charset=utf-8", request.Headers["Content-Type"]);
        Assert.Equal([0x1f, 0x8b], request.RawBody[..2]);
        Assert.Equal(
            ["m,deviceId=d0 value=0.5 1700000000000", "m,deviceId=d1 value=1.5 1700000000000", "m,deviceId=d2 value=2.5 1700000000000"],
            request.Lines);
    }

    [Fact]
    public async Task V1_request_should_carry_db_rp_precision_and_basic_credentials()
    {
        await using var server = new ScriptedHttpListener((_, _) => ScriptedResponse.NoContent);
        var options = V1(server.BaseAddress);
        options.RetentionPolicy = "one week";
        options.Username = "writer";
        options.Password = "p:w";
        options.Precision = WritePrecision.Seconds;
        options.Gzip = false;
        using var writer = new InfluxWriter(options);
        using var batch = Batch(1, WritePrecision.Seconds);

        await writer.WriteAsync(batch);

        var request = Assert.Single(server.Requests);
        Assert.Equal("/write?db=db&rp=one%20week&precision=s", request.RawUrl);
        Assert.Equal("Basic " + Convert.ToBase64String("writer:p:w"u8.ToArray()), request.Headers["Authorization"]);
        Assert.Null(request.Headers["Content-Encoding"]);
        Assert.Equal("m,deviceId=d0 value=0.5 1700000000\n", request.Body);
    }

    [Fact]
    public async Task Status_413_should_split_the_batch_until_the_halves_fit_and_write_every_line_once()
    {
        await using var server = new ScriptedHttpListener((r, _) => r.Lines.Length > 2 ? new ScriptedResponse(413, "{\"error\":\"Request Entity Too Large\"}") : ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(V1(server.BaseAddress));
        using var batch = Batch(7);

        var result = await writer.WriteAsync(batch);

        Assert.Equal(7, result.Written);
        Assert.Empty(result.Rejected);
        var stored = server.Requests.Where(r => r.Lines.Length <= 2).SelectMany(r => r.Lines).ToList();
        Assert.Equal(Enumerable.Range(0, 7).Select(i => LineProtocolEncoder.ToLine(PointBuilder.Measurement("m").Tag("deviceId", $"d{i}").Field("value", i + 0.5).Timestamp(1_700_000_000_000_000_000L + i).Build())), stored);
    }

    [Fact]
    public async Task A_single_line_still_too_large_should_be_rejected_as_payload_too_large()
    {
        await using var server = new ScriptedHttpListener((_, _) => new ScriptedResponse(413));
        using var writer = new InfluxWriter(V1(server.BaseAddress));
        using var batch = Batch(2);

        var result = await writer.WriteAsync(batch);

        Assert.Equal(0, result.Written);
        Assert.Equal([0, 1], result.Rejected.Select(r => r.Index));
        Assert.All(result.Rejected, r => Assert.Equal(RejectReason.TooLarge, r.Reason));
    }

    [Fact]
    public async Task Status_429_should_wait_the_Retry_After_seconds_before_retrying()
    {
        await using var server = new ScriptedHttpListener((_, n) => n == 0 ? new ScriptedResponse(429, "{\"error\":\"slow down\"}", [("Retry-After", "2")]) : ScriptedResponse.NoContent);
        using var writer = new InfluxWriter(V1(server.BaseAddress));
        using var batch = Batch(3);

        var result = await writer.WriteAsync(batch);

        Assert.Equal(3, result.Written);
        var requests = server.Requests.ToArray();
        Assert.Equal(2, requests.Length);
        var waited = Stopwatch.GetElapsedTime(requests[0].ReceivedAtTicks, requests[1].ReceivedAtTicks);
        // The backoff alone would wait at most 20 ms; only Retry-After explains two seconds.
        Assert.True(waited >= TimeSpan.FromSeconds(1.9), $"retried after {waited}");
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Fact]
    public async Task Server_errors_and_refused_connections_should_be_retried_until_the_write_succeeds()
    {
        await using var server = new ScriptedHttpListener((_, n) => n < 3 ? new ScriptedResponse(503, "{\"error\":\"busy\"}") : ScriptedResponse.NoContent);
        var logger = new ListLogger();
        using var writer = new InfluxWriter(V1(server.BaseAddress), logger: logger);
        using var batch = Batch(4);

        var result = await writer.WriteAsync(batch);

        Assert.Equal(4, result.Written);
        Assert.Equal(4, server.Requests.Count);
        Assert.True(writer.IsReady);
        Assert.Single(logger.Entries, e => e.Id.Id == 6002);
        Assert.Single(logger.Entries, e => e.Id.Id == 6003);
    }

    [Fact]
    public async Task Unauthorized_should_turn_readiness_false_log_once_keep_the_data_and_recover()
    {
        var allow = 0;
        await using var server = new ScriptedHttpListener((_, _) => Volatile.Read(ref allow) == 1 ? ScriptedResponse.NoContent : new ScriptedResponse(401, "{\"error\":\"authorization failed\"}"));
        var logger = new ListLogger();
        using var writer = new InfluxWriter(V1(server.BaseAddress), logger: logger);
        using var batch = Batch(5);

        var write = writer.WriteAsync(batch);
        await Eventually.TrueAsync(() => server.Requests.Count >= 4, "the writer retried the refused write a few times");
        Assert.False(writer.IsReady);
        Assert.Contains("Password", writer.NotReadyReason, StringComparison.Ordinal);
        Assert.False(write.IsCompleted);
        Volatile.Write(ref allow, 1);

        var result = await write;

        Assert.Equal(5, result.Written);
        Assert.True(writer.IsReady);
        var refused = Assert.Single(logger.Entries, e => e.Level == LogLevel.Error);
        Assert.Contains("Username", refused.Message, StringComparison.Ordinal);
        Assert.Equal(server.Requests.First().Body, server.Requests.Last().Body);
    }

    [Fact]
    public async Task Cancellation_should_end_a_write_that_keeps_failing()
    {
        await using var server = new ScriptedHttpListener((_, _) => new ScriptedResponse(500));
        using var writer = new InfluxWriter(V1(server.BaseAddress));
        using var batch = Batch(1);
        using var cts = new CancellationTokenSource();

        var write = writer.WriteAsync(batch, cts.Token);
        await Eventually.TrueAsync(() => server.Requests.Count >= 3, "a few attempts were made");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => write);
    }

    [Fact]
    public void Options_validator_should_name_every_bad_key()
    {
        var options = new InfluxWriterOptions
        {
            ApiVersion = InfluxApiVersion.V2,
            BatchSize = 0,
            MaxConcurrentWrites = 0,
            FlushInterval = TimeSpan.Zero,
            Username = "x",
        };

        var errors = InfluxWriterOptionsValidator.Validate(options);

        foreach (var key in new[] { "Url", "Organization", "Bucket", "Token", "BatchSize", "MaxConcurrentWrites", "FlushInterval" })
        {
            Assert.Contains(errors, e => e.StartsWith($"ReactiveIngest:Influx:{key} ", StringComparison.Ordinal));
        }

        Assert.Equal(7, errors.Count);
        Assert.Empty(InfluxWriterOptionsValidator.Validate(new InfluxWriterOptions { Url = new Uri("http://127.0.0.1:8086/"), Database = "d" }));
    }
}
