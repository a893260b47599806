using ReactiveIngest.TestSupport.Journal;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

public sealed class HttpIngestSpec
{
    private static WebApplicationFactory<Program> Host(int queueCapacity = 100, long maxBody = 1024 * 1024, bool pipeline = true, bool journal = true, params (string Key, string Value)[] settings) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:Journal:Enabled", journal ? "true" : "false");
            foreach (var (key, value) in settings)
            {
                b.UseSetting(key, value);
            }

            b.UseSetting("ReactiveIngest:Sources:Http:QueueCapacity", queueCapacity.ToString(System.Globalization.CultureInfo.InvariantCulture));
            b.UseSetting("ReactiveIngest:Http:MaxRequestBodyBytes", maxBody.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (!pipeline)
            {
                // Nothing takes from the queue, so it fills up.
                b.ConfigureTestServices(services =>
                {
                    var hosted = services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)).ToList();
                    foreach (var descriptor in hosted)
                    {
                        services.Remove(descriptor);
                    }

                    // The endpoints answer 503 while no graph runs; here one is said to run although nothing reads.
                    services.AddSingleton(RunningGraph.Create());
                });
            }
        });

    private static async Task<JsonElement> EventuallyLatestAsync(HttpClient client, string device)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var response = await client.GetAsync(new Uri($"/api/devices/{device}/latest", UriKind.Relative));
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            Assert.True(DateTime.UtcNow < deadline, $"device {device} never reached the live view");
            await Task.Delay(50);
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_valid_json_request_should_be_accepted_with_202_and_flow_through_the_pipeline()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var ts = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds();
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json($$"""{"deviceId":"d1","ts":{{ts}},"temperature":21.5,"humidity":40}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("readings").GetInt32());
        var latest = await EventuallyLatestAsync(client, "d1");
        Assert.Equal(21.5, latest.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
        Assert.Equal(40, latest.GetProperty("metrics").GetProperty("humidity").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_line_protocol_request_should_be_accepted_as_text_plain()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var ns = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds() * 1_000_000;
        using var content = new StringContent($"env,deviceId=lp1 temperature=21.5,humidity=40i {ns}\n", Encoding.UTF8, "text/plain");
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var latest = await EventuallyLatestAsync(client, "lp1");
        Assert.Equal(40, latest.GetProperty("metrics").GetProperty("humidity").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_malformed_request_should_get_400_with_the_reason_and_nothing_should_be_queued()
    {
        await using var host = Host(pipeline: false);
        using var client = host.CreateClient();
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json("""{"deviceId":"d1","temperature":"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MalformedPayload", problem.GetProperty("reason").GetString());
        Assert.Equal(0, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
    }

    [Fact]
    public async Task An_unknown_content_type_should_get_415()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        using var content = new StringContent("<x/>", Encoding.UTF8, "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), content)).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_limit_should_get_413()
    {
        await using var host = Host(maxBody: 2048);
        using var client = host.CreateClient();
        var big = "[" + string.Join(",", Enumerable.Repeat("""{"deviceId":"d1","temperature":1}""", 200)) + "]";
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json(big))).StatusCode);
    }

    [Fact]
    public async Task With_the_journal_off_a_full_queue_should_answer_429_with_retry_after_instead_of_dropping()
    {
        await using var host = Host(queueCapacity: 2, pipeline: false, journal: false);
        using var client = host.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json($$"""{"deviceId":"d{{i}}","temperature":1}"""));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);
        Assert.Equal(1, host.Services.GetRequiredService<HttpIngestInlet>().Refused);
    }

    [Theory]
    [InlineData("s", 1_000_000_000L)]
    [InlineData("ms", 1_000_000L)]
    [InlineData("us", 1_000L)]
    public async Task A_line_protocol_request_should_read_its_timestamps_in_the_given_precision(string precision, long nanosPerUnit)
    {
        await using var host = Host();
        using var client = host.CreateClient();
        var t = DateTimeOffset.UtcNow.AddSeconds(-5).ToUnixTimeMilliseconds() * 1_000_000 / nanosPerUnit;
        var device = "prec-" + precision;
        using var content = new StringContent($"env,deviceId={device} temperature=20 {t}\n", Encoding.UTF8, "text/plain");
        var response = await client.PostAsync(new Uri($"/api/ingest?precision={precision}", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var latest = await EventuallyLatestAsync(client, device);
        Assert.Equal(
            DateTimeOffset.UnixEpoch.AddTicks(t * nanosPerUnit / 100),
            latest.GetProperty("metrics").GetProperty("temperature").GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public async Task A_precision_request_with_a_bad_line_should_get_400_naming_the_line_and_nothing_should_be_queued()
    {
        await using var host = Host(pipeline: false);
        using var client = host.CreateClient();
        using var content = new StringContent("env,deviceId=a v=1 1\nenv,deviceId=a v= 2\n", Encoding.UTF8, "text/plain");
        var response = await client.PostAsync(new Uri("/api/ingest?precision=s", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("MalformedPayload", problem.GetProperty("reason").GetString());
        Assert.StartsWith("line 2: ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, host.Services.GetRequiredService<HttpIngestInlet>().Queued);
        Assert.Equal(0, host.Services.GetRequiredService<SourceJournals>().For(HttpCodecs.LineProtocolSource).Statistics.Appended);
    }

    [Fact]
    public async Task A_gzip_request_should_be_inflated_and_accepted()
    {
        await using var host = Host();
        using var client = host.CreateClient();
        using var buffer = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(buffer, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes("""{"deviceId":"gz1","temperature":19.5}"""));
        }

        using var content = new ByteArrayContent(buffer.ToArray());
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var latest = await EventuallyLatestAsync(client, "gz1");
        Assert.Equal(19.5, latest.GetProperty("metrics").GetProperty("temperature").GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task A_request_should_be_answered_202_only_once_it_is_committed_to_the_journal()
    {
        // A long commit interval: an answer given before the commit would find the entry not yet durable.
        await using var host = Host(pipeline: false, settings: ("ReactiveIngest:Journal:CommitInterval", "00:00:00.500"));
        using var client = host.CreateClient();
        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json("""{"deviceId":"j1","temperature":1}"""));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var journal = host.Services.GetRequiredService<SourceJournals>().For(HttpCodecs.JsonSource).Statistics;
        Assert.Equal(1, journal.Appended);
        Assert.True(journal.CommittedUntil >= journal.TailAddress, $"committed until {journal.CommittedUntil}, tail {journal.TailAddress}");
    }

    [Fact]
    public async Task A_journal_at_its_disk_budget_should_answer_503_with_retry_after_and_keep_what_it_accepted()
    {
        await using var host = Host(pipeline: false, settings: [("ReactiveIngest:Journal:SegmentSize", "1048576"), ("ReactiveIngest:Journal:DiskBudget", "2097152")]);
        using var client = host.CreateClient();
        // Each body is one message, so under ReactiveIngest:Sources:Http:MaxMessageBytes (256 KiB).
        var body = "[" + string.Join(",", Enumerable.Repeat("""{"deviceId":"big","temperature":1}""", 6_000)) + "]";
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 16 && !statuses.Contains(HttpStatusCode.ServiceUnavailable); i++)
        {
            var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), Json(body));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
            }
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Accepted, s));
        var journal = host.Services.GetRequiredService<SourceJournals>().For(HttpCodecs.JsonSource).Statistics;
        Assert.True(journal.BudgetFull);
        Assert.Equal(statuses.Count - 1, journal.Appended);
        Assert.Equal(1, journal.RefusedFull);
    }
}
