using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Service.Inputs.Http;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs.Http;

/// <summary>
/// No single message stops ingestion: with the journal on, a JSON body or a line over
/// <c>ReactiveIngest:Sources:Http:MaxMessageBytes</c> gets 413, and large line-protocol bodies of small lines are
/// journaled in several entries, each fitting a journal page.
/// </summary>
public sealed class MessageLimitSpec
{
    private const int MaxMessage = 256 * 1024;
    private const string Key = "ReactiveIngest:Sources:Http:MaxMessageBytes";

    private static (WebApplicationFactory<Program> Host, RecordingOutputs Outputs) Host(bool pipeline = true)
    {
        var outputs = new RecordingOutputs();
        var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.ConfigureTestServices(services =>
            {
                services.AddSingleton<IOutput>(outputs);
                if (!pipeline)
                {
                    // Nothing reads the journal, so what a request appended stays countable; the endpoints still see a graph.
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

    private static long Appended(WebApplicationFactory<Program> host, string source) =>
        host.Services.GetRequiredService<SourceJournals>().For(source).Statistics.Appended;

    private static long NowNs() => DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds() * 1_000_000;

    /// <summary>Small lines filling <paramref name="bytes"/> but not more, each a reading of its own (distinct timestamps).</summary>
    private static (string Body, int Lines) SmallLines(string device, int bytes)
    {
        var body = new StringBuilder(bytes);
        var t = NowNs();
        var lines = 0;
        while (true)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"m,deviceId={device} v={lines} {t + lines}\n");
            if (body.Length + line.Length > bytes)
            {
                return (body.ToString(), lines);
            }

            body.Append(line);
            lines++;
        }
    }

    private static string LongLine(int bytes)
    {
        var prefix = "m,deviceId=long v=1,note=\"";
        return prefix + new string('x', bytes - prefix.Length - 1) + "\"";
    }

    [Fact]
    public async Task A_json_body_over_the_message_limit_should_get_413_naming_the_key_and_nothing_should_be_kept()
    {
        var (host, _) = Host(pipeline: false);
        await using var _ = host;
        using var client = host.CreateClient();
        var body = "[" + string.Join(",", Enumerable.Repeat("""{"deviceId":"j","temperature":1}""", 9_000)) + "]"; // ~300 KB
        Assert.InRange(body.Length, MaxMessage + 1, 1024 * 1024);

        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("TooLarge", problem.GetProperty("reason").GetString());
        Assert.Contains(Key, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains(MaxMessage.ToString(CultureInfo.InvariantCulture), problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Appended(host, HttpCodecs.JsonSource));
    }

    [Theory]
    [InlineData("/api/ingest", "detail")]
    [InlineData("/write?db=telegraf", "error")]
    [InlineData("/api/v2/write?org=acme&bucket=b", "message")]
    public async Task A_line_over_the_message_limit_should_get_413_naming_its_line_number_and_the_key_and_nothing_should_be_kept(string url, string property)
    {
        var (host, _) = Host(pipeline: false);
        await using var _ = host;
        using var client = host.CreateClient();
        var t = NowNs();
        var body = $"m,deviceId=a v=1 {t}\n# a comment\n{LongLine(MaxMessage + 1)}\nm,deviceId=a v=2 {t + 1}\n";

        var response = await client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();
        var text = answer.GetProperty(property).GetString()!;
        Assert.StartsWith("line 3: ", text, StringComparison.Ordinal);
        Assert.Contains(Key, text, StringComparison.Ordinal);
        Assert.Contains($"limit of {MaxMessage} bytes", text, StringComparison.Ordinal);
        if (url == "/api/ingest")
        {
            Assert.Equal("TooLarge", answer.GetProperty("reason").GetString());
        }
        else if (property == "message")
        {
            Assert.Equal("request too large", answer.GetProperty("code").GetString());
        }

        Assert.Equal(0, Appended(host, HttpCodecs.LineProtocolSource));
    }

    [Theory]
    [InlineData("/api/ingest", 900 * 1024, HttpStatusCode.Accepted)]
    [InlineData("/api/ingest", 1024 * 1024, HttpStatusCode.Accepted)]
    [InlineData("/api/ingest?precision=s", 1024 * 1024, HttpStatusCode.Accepted)]
    [InlineData("/write?db=telegraf", 900 * 1024, HttpStatusCode.NoContent)]
    [InlineData("/write?db=telegraf", 1024 * 1024, HttpStatusCode.NoContent)]
    [InlineData("/api/v2/write?org=acme&bucket=b", 1024 * 1024, HttpStatusCode.NoContent)]
    public async Task A_large_body_of_small_lines_should_be_journaled_in_several_entries_and_every_point_should_reach_the_pipeline(string url, int bytes, HttpStatusCode expected)
    {
        // As one journal entry, a body up to the 1 MiB request limit (ReactiveIngest:Http:MaxRequestBodyBytes) would be
        // over a page less 64 bytes and the journal threw; in messages of whole lines of at most 256 KiB every entry fits.
        var (host, outputs) = Host();
        await using var _ = host;
        using var client = host.CreateClient();
        var device = "big" + ((uint)HashCode.Combine(url, bytes)).ToString(CultureInfo.InvariantCulture);
        var seconds = url.EndsWith("precision=s", StringComparison.Ordinal);
        var (body, lines) = SmallLines(device, bytes);
        if (seconds)
        {
            // Same lines with second timestamps: one line per second, so that each is its own point.
            var t = NowNs() / 1_000_000_000;
            body = string.Concat(Enumerable.Range(0, lines).Select(i => string.Create(CultureInfo.InvariantCulture, $"m,deviceId={device} v={i} {t - i}\n")));
            body = body[..body.LastIndexOf('\n', Math.Min(body.Length, bytes) - 1)] + "\n";
            lines = body.Count(c => c == '\n');
        }

        var response = await client.PostAsync(new Uri(url, UriKind.Relative), new StringContent(body, Encoding.UTF8, "text/plain"));

        Assert.Equal(expected, response.StatusCode);
        Assert.True(Appended(host, HttpCodecs.LineProtocolSource) >= 4, $"{Appended(host, HttpCodecs.LineProtocolSource)} journal entries for a 900 KiB body");
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Count(r => r.DeviceId == device) >= lines, $"{lines} readings");
        Assert.Equal(lines, outputs.Stored.Where(r => r.DeviceId == device).Select(r => r.TimestampNs).Distinct().Count());
    }

    [Fact]
    public async Task A_line_of_exactly_the_message_limit_should_be_accepted()
    {
        var (host, outputs) = Host();
        await using var _ = host;
        using var client = host.CreateClient();
        var response = await client.PostAsync(new Uri("/write?db=x", UriKind.Relative), new StringContent(LongLine(MaxMessage) + "\n", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        await RecordingOutputs.EventuallyAsync(() => outputs.Stored.Any(r => r.DeviceId == "long"), "the reading of the long line");
    }

    [Fact]
    public void Messages_should_cut_at_whole_lines_and_never_exceed_the_limit()
    {
        var lines = Encoding.ASCII.GetBytes("aaaa\nbbb\ncc\n\ndddddd\ne");
        var pieces = LineProtocolWrite.Messages(lines, 6).Select(p => Encoding.ASCII.GetString(p.Span)).ToList();
        Assert.Equal(["aaaa\n", "bbb\n", "cc\n\n", "dddddd", "e"], pieces);
        Assert.All(LineProtocolWrite.Messages(lines, 6), p => Assert.InRange(p.Length, 1, 6));
        Assert.Equal(lines, LineProtocolWrite.Messages(lines, 100).Single().ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_16_MB_body_should_get_413_naming_the_request_limit_with_or_without_a_content_length(bool contentLength)
    {
        var (host, _) = Host(pipeline: false);
        await using var _ = host;
        using var client = host.CreateClient();
        var body = new byte[16 * 1024 * 1024];
        body.AsSpan().Fill((byte)'x');
        using HttpContent content = contentLength ? new ByteArrayContent(body) : new StreamContent(new UnknownLengthStream(body));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");

        var response = await client.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("ReactiveIngest:Http:MaxRequestBodyBytes", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("TooLarge", problem.GetProperty("reason").GetString());
        Assert.Equal(0, Appended(host, HttpCodecs.LineProtocolSource));
    }

    /// <summary>A stream that does not tell its length, so the request goes chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
