using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

public sealed class InfluxWriteSpec
{
    private const string Key = "0123456789abcdef-key";

    /// <summary>
    /// The service with its outputs recorded. With <paramref name="pipeline"/> off nothing reads the inlet, and the
    /// journal is off too, so what a request handed over stays countable in the inlet's in-memory queue.
    /// </summary>
    private static (WebApplicationFactory<Program> Host, RecordingOutputs Outputs) Host(string? apiKey = null, int queueCapacity = 100, bool pipeline = true)
    {
        var outputs = new RecordingOutputs();
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            if (pipeline)
            {
                b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            }
            else
            {
                b.UseSetting("ReactiveIngest:Journal:Enabled", "false");
            }

            b.UseSetting("ReactiveIngest:Sources:Http:QueueCapacity", queueCapacity.ToString(CultureInfo.InvariantCulture));
            if (apiKey is not null)
            {
                b.UseSetting("ReactiveIngest:Http:ApiKey", apiKey);
            }

            b.ConfigureTestServices(services =>
            {
                services.AddSingleton<IOutput>(outputs);
                if (!pipeline)
                {
                    foreach (var hosted in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)).ToList())
                    {
                        services.Remove(hosted);
                    }

                    services.AddSingleton(RunningGraph.Create());
                }
            });
        });
        return (host, outputs);
    }

    private static ByteArrayContent Gzip(string lines)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(lines));
        }

        var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/plain") { CharSet = "utf-8" };
        content.Headers.ContentEncoding.Add("gzip");
        return content;
    }

    private static StringContent Text(string lines) => new(lines, Encoding.UTF8, "text/plain");

    private static long NowIn(long nanosPerUnit)
    {
        var now = DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds() * 1_000_000;
        return now / nanosPerUnit;
    }

    [Theory]
    [InlineData("/write?db=telegraf&precision=n", 1L)]
    [InlineData("/write?db=telegraf&precision=ns", 1L)]
    [InlineData("/write?db=telegraf&precision=u", 1_000L)]
    [InlineData("/write?db=telegraf&precision=us", 1_000L)]
    [InlineData("/write?db=telegraf&precision=ms", 1_000_000L)]
    [InlineData("/write?db=telegraf&precision=s", 1_000_000_000L)]
    [InlineData("/write?db=telegraf&precision=m", 60_000_000_000L)]
    [InlineData("/write?db=telegraf&precision=h", 3_600_000_000_000L)]
    [InlineData("/write?db=telegraf", 1L)]
    [InlineData("/api/v2/write?org=acme&bucket=telegraf&precision=ns", 1L)]
    [InlineData("/api/v2/write?org=acme&bucket=telegraf&precision=us", 1_000L)]
    [InlineData("/api/v2/write?org=acme&bucket=telegraf&precision=ms", 1_000_000L)]
    [InlineData("/api/v2/write?org=acme&bucket=telegraf&precision=s", 1_000_000_000L)]
    public async Task A_write_should_answer_204_and_store_each_line_at_its_timestamp_in_the_given_precision(string url, long nanosPerUnit)
    {
        var (host, outputs) = Host();
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowIn(nanosPerUnit);
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), Text($"cpu,deviceId=p1,host=a usage_idle=97.5 {t}\ncpu,deviceId=p2 usage_idle=12i {t - 1}\n"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(InfluxWriteEndpoints.Version, response.Headers.GetValues(InfluxWriteEndpoints.VersionHeader).Single());
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count >= 2, "two readings");
        var p1 = outputs.Stored.Single(r => r.DeviceId == "p1");
        var p2 = outputs.Stored.Single(r => r.DeviceId == "p2");
        Assert.Equal(("usage_idle", 97.5, t * nanosPerUnit), (p1.Metric, p1.Value, p1.TimestampNs));
        Assert.Equal(12, p2.Value);
        Assert.Equal((t - 1) * nanosPerUnit, p2.TimestampNs);
    }

    [Fact]
    public async Task What_telegrafs_influxdb_output_sends_should_be_stored_gzip_basic_auth_and_all()
    {
        // Telegraf's [[outputs.influxdb]]: POST /write?db=…&rp=… with Basic auth (username/password), gzip, text/plain; charset=utf-8,
        // nanosecond timestamps, a batch of lines ending in a newline.
        var (host, outputs) = Host(apiKey: Key);
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowIn(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/write?db=telegraf&rp=autogen")
        {
            Content = Gzip($"mem,deviceId=tg1,host=edge used_percent=41.25,free=1024i {t}\nmem,deviceId=tg1,host=edge active=7u {t + 10}\n"),
        };
        request.Headers.UserAgent.ParseAdd("Telegraf/1.36.1");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("telegraf:" + Key)));
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count >= 3, "three readings");
        Assert.Equal(
            [("active", 7d, t + 10), ("free", 1024d, t), ("used_percent", 41.25, t)],
            outputs.Stored.Select(r => (r.Metric, r.Value, r.TimestampNs)).OrderBy(r => r.Metric, StringComparer.Ordinal));
        Assert.All(outputs.Stored, r => Assert.Equal("tg1", r.DeviceId));
    }

    [Fact]
    public async Task What_telegrafs_influxdb_v2_output_sends_should_be_stored_with_the_token_as_the_api_key()
    {
        // Telegraf's [[outputs.influxdb_v2]]: POST /api/v2/write?bucket=…&org=… with Authorization: Token, gzip.
        var (host, outputs) = Host(apiKey: Key);
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowIn(1);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v2/write?bucket=telegraf&org=acme") { Content = Gzip($"disk,deviceId=tg2 used=3.5 {t}\n") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Token", Key);
        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await RecordingOutputs.EventuallyAsync(() => !outputs.Stored.IsEmpty, "the reading");
        Assert.Equal(("tg2", "used", 3.5, t), outputs.Stored.Select(r => (r.DeviceId, r.Metric, r.Value, r.TimestampNs)).Single());
    }

    [Theory]
    [InlineData("/write?db=telegraf", null)]
    [InlineData("/write?db=telegraf&u=telegraf&p=wrong-key-0123456789", null)]
    [InlineData("/api/v2/write?org=acme&bucket=b", "Token wrong-key-0123456789")]
    [InlineData("/api/v2/write?org=acme&bucket=b", null)]
    public async Task A_write_without_the_api_key_should_get_401_in_influxdbs_error_shape(string url, string? authorization)
    {
        var (host, outputs) = Host(apiKey: Key, pipeline: false);
        await using var _ = host;
        using var client = host.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Text("m,deviceId=a v=1\n") };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("authorization failed", body.GetProperty(url.StartsWith("/write", StringComparison.Ordinal) ? "error" : "message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Fact]
    public async Task A_v1_write_should_accept_the_api_key_as_the_p_parameter()
    {
        var (host, _) = Host(apiKey: Key, pipeline: false);
        await using var __ = host;
        using var client = host.CreateClient();
        var response = await client.PostAsync(new Uri($"/write?db=x&u=telegraf&p={Key}", UriKind.Relative), Text("m,deviceId=a v=1\n"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(1, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Fact]
    public async Task A_v1_write_with_bad_lines_should_keep_the_good_ones_and_dead_letter_each_bad_one_with_its_reason_and_bytes()
    {
        var (host, outputs) = Host();
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowIn(1_000_000_000);
        var response = await client.PostAsync(
            new Uri("/write?db=telegraf&precision=s", UriKind.Relative),
            Text($"m,deviceId=ok1 v=1 {t}\nm,deviceId=bad1 v= {t}\nm,deviceId=ok2 v=2 {t}\nm,deviceId=bad2 v=NaN {t}\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.StartsWith("partial write: unable to parse 'm,deviceId=bad1 v= ", error, StringComparison.Ordinal);
        Assert.Contains("(line 2)", error, StringComparison.Ordinal);
        Assert.EndsWith("dropped=2", error, StringComparison.Ordinal);
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count >= 2 && outputs.Rejected.Count >= 2, "two readings and two dead letters");
        Assert.Equal(["ok1", "ok2"], outputs.Stored.Select(r => r.DeviceId).Order(StringComparer.Ordinal));
        Assert.All(outputs.Stored, r => Assert.Equal(t * 1_000_000_000, r.TimestampNs));
        var dead = outputs.Rejected.OrderBy(d => Encoding.UTF8.GetString(d.Payload.Span), StringComparer.Ordinal).ToList();
        Assert.Equal([RejectReason.MalformedPayload, RejectReason.NotFinite], dead.Select(d => d.Reason));
        Assert.Equal([$"m,deviceId=bad1 v= {t}", $"m,deviceId=bad2 v=NaN {t}"], dead.Select(d => Encoding.UTF8.GetString(d.Payload.Span)));
    }

    [Fact]
    public async Task A_v2_write_with_a_bad_line_should_answer_400_with_code_invalid_and_keep_the_good_lines()
    {
        var (host, outputs) = Host();
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowIn(1_000_000);
        var response = await client.PostAsync(
            new Uri("/api/v2/write?org=acme&bucket=b&precision=ms", UriKind.Relative),
            Text($"m,deviceId=v2ok v=1 {t}\nm,deviceId=v2bad v=1 notatime\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("invalid", body.GetProperty("code").GetString());
        Assert.Contains("InvalidTimestamp", body.GetProperty("message").GetString(), StringComparison.Ordinal);
        await RecordingOutputs.EventuallyAsync(() => !outputs.Stored.IsEmpty && !outputs.Rejected.IsEmpty, "the reading and the dead letter");
        Assert.Equal(t * 1_000_000, outputs.Stored.Single().TimestampNs);
        Assert.Equal("m,deviceId=v2bad v=1 notatime", Encoding.UTF8.GetString(outputs.Rejected.Single().Payload.Span));
    }

    [Theory]
    [InlineData("/write?precision=s", "error", "'db'")]
    [InlineData("/write?db=x&precision=fortnight", "error", "'precision'")]
    [InlineData("/api/v2/write?org=acme", "message", "'bucket'")]
    [InlineData("/api/v2/write?org=acme&bucket=b&precision=m", "message", "'precision'")]
    public async Task A_bad_write_parameter_should_get_400_naming_it_and_queue_nothing(string url, string property, string parameter)
    {
        var (host, _) = Host(pipeline: false);
        await using var __ = host;
        using var client = host.CreateClient();
        var response = await client.PostAsync(new Uri(url, UriKind.Relative), Text("m,deviceId=a v=1\n"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(parameter, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty(property).GetString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Fact]
    public async Task A_write_a_full_queue_cannot_hold_whole_should_get_429_with_retry_after_and_nothing_queued()
    {
        var (host, _) = Host(queueCapacity: 2, pipeline: false);
        await using var __ = host;
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), Text("m,deviceId=a v=1\n"))).StatusCode);

        // Good lines plus two bad lines need three places; one is left.
        var response = await client.PostAsync(new Uri("/api/v2/write?org=o&bucket=b", UriKind.Relative), Text("m,deviceId=a v=1\nbad\nworse\n"));
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("too many requests", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(1, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Fact]
    public async Task A_gzip_body_that_inflates_past_the_limit_should_get_413()
    {
        var (host, _) = Host(pipeline: false);
        await using var __ = host;
        using var client = host.CreateClient();
        var huge = string.Concat(Enumerable.Repeat("m,deviceId=a v=1\n", 70_000)); // ~1.2 MB inflated, a few KB on the wire
        var response = await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), Gzip(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    public async Task Ping_should_answer_204_with_the_influxdb_version_header_and_no_api_key(string method)
    {
        var (host, _) = Host(apiKey: Key, pipeline: false);
        await using var __ = host;
        using var client = host.CreateClient();
        var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), "/ping"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(InfluxWriteEndpoints.Version, response.Headers.GetValues(InfluxWriteEndpoints.VersionHeader).Single());
    }
}
