using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Tests.Browser;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.Service.Tests.EndToEnd;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Hostile;

/// <summary>
/// The default service against what a hostile client sends over MQTT (QoS 1), Kafka and HTTP (<c>/api/ingest</c>,
/// <c>/write</c>, <c>/api/v2/write</c>): malformed and truncated JSON, wrong types, NaN/±Inf/overflow, far and negative
/// timestamps, 16 MB and 100 MB payloads, 20,000-key objects, deep nesting, duplicate keys, line-protocol injection in
/// device ids, tag values and metric names, invalid UTF-8, byte order marks, empty and whitespace bodies. Nothing may
/// stop the graph or readiness, every message must end stored, dead-lettered with its specific reason, or as a
/// duplicate, valid data afterwards must be stored, and InfluxDB must hold no tag key, field key or measurement that
/// the valid data did not define.
/// </summary>
public sealed class HostileInputSpec(MosquittoFixture mosquitto, InfluxFixture influx, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<MosquittoFixture>, IClassFixture<InfluxFixture>, IClassFixture<KafkaMockClusterFixture>
{
    private const string Metric = "temperature";

    /// <summary>What a hostile graph-side message must become: stored, a duplicate, or a dead letter with this reason.</summary>
    private sealed record Case(string Name, byte[] Payload, RejectReason? Reason, bool Duplicate = false)
    {
        public static Case Text(string name, string payload, RejectReason? reason) => new(name, Encoding.UTF8.GetBytes(payload), reason);
    }

    /// <summary>
    /// An HTTP request and its answer. A chunked body over the limit (no Content-Length to refuse early) is answered
    /// 413 after the service read up to its limit and the connection is closed, so a client still sending may see the
    /// close before the answer: that is the one other outcome allowed, with <see cref="ClosedIsRefusal"/>.
    /// </summary>
    private sealed record HttpCase(string Name, string Path, Func<HttpContent> Content, HttpStatusCode Expected, string? Reason = null, bool ClosedIsRefusal = false);

    [Fact]
    public async Task A_hostile_corpus_should_cost_dead_letters_only_and_leave_the_service_ready_and_storing()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        var db = await influx.Server.CreateDatabaseAsync("hostile");
        var run = Guid.NewGuid().ToString("N")[..8];
        var topic = $"hostile-{run}";
        await kafka.CreateTopicAsync(topic, 1);

        // Its own process, as users run it, so that its memory is its own.
        await using var service = new ServiceProcess(DemoServiceProcess.Dll(), new Dictionary<string, string>
        {
            ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:hostile",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = mosquitto.Server.Host,
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = $"hostile-{run}",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = $"hostile/{run}/+",
            ["ReactiveIngest:Sources:Kafka:0:BootstrapServers"] = kafka.BootstrapServers,
            ["ReactiveIngest:Sources:Kafka:0:GroupId"] = $"hostile-{run}",
            ["ReactiveIngest:Sources:Kafka:0:Topics:0"] = topic,
            ["ReactiveIngest:Influx:Url"] = influx.Server.BaseAddress.ToString(),
            ["ReactiveIngest:Influx:Database"] = db,
            ["ReactiveIngest:Influx:FlushInterval"] = "00:00:00.200",
            ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
            ["ReactiveIngest:Pipeline:Windows:0:Size"] = "00:00:10",
        });
        using var serviceLog = service.Log.CaptureTo(output, "service");
        await service.StartAsync();
        using var http = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"hostile-pub-{run}").Build());
        using var producer = new ProducerBuilder<Null, byte[]>(new ProducerConfig { BootstrapServers = kafka.BootstrapServers, EnableIdempotence = true, MessageMaxBytes = 2_000_000 }).Build();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var stored = new Dictionary<(string Device, string Metric), long>();
        var measurements = new HashSet<string>(StringComparer.Ordinal);

        void Expect(string device, string metric, long count = 1)
        {
            stored[(device, metric)] = stored.GetValueOrDefault((device, metric)) + count;
            measurements.Add(metric);
        }

        // Valid data before the corpus, and the memory it leaves.
        for (var i = 0; i < 20; i++)
        {
            await PublishAsync(publisher, run, "base", Valid("base", nowMs - 60_000 + (i * 1000), i));
            Expect("base", Metric);
        }

        // Every path the corpus takes, once with valid data and once with a refusal, so that what the baseline leaves
        // out is the corpus, not code loaded and compiled on first use.
        var warm = nowMs - 50_000;
        await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = Valid("warm-k", warm, 1) });
        await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = "{"u8.ToArray() });
        await PublishAsync(publisher, run, "warm", "{"u8.ToArray());
        Expect("warm-k", Metric);
        foreach (var (path, mediaType, body) in new[]
        {
            ("/api/ingest", "application/json", Encoding.UTF8.GetString(Valid("warm-h", warm, 1))),
            ("/api/ingest", "application/json", "{"),
            ("/api/ingest", "text/plain", $"m,deviceId=warm-h {Metric}=2 {(warm + 1) * 1_000_000}"),
            ("/write?db=hostile", "text/plain", $"m,deviceId=warm-h {Metric}=3 {(warm + 2) * 1_000_000}"),
            ("/api/v2/write?bucket=b&org=o", "text/plain", $"m,deviceId=warm-h {Metric}=4 {(warm + 3) * 1_000_000}"),
        })
        {
            using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, mediaType));
            Assert.True(response.IsSuccessStatusCode || body == "{", $"warm-up {path}: {response.StatusCode}");
        }

        Expect("warm-h", Metric, 4);
        await WaitUntilAsync(async () => (await StatusAsync(http)).Stored >= 25, "the valid data before the corpus");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var rssBefore = service.RssBytes!.Value;

        var readiness = new List<HttpStatusCode>();
        using var stopPolling = new CancellationTokenSource();
        var polling = PollReadinessAsync(http, readiness, stopPolling.Token);

        // MQTT QoS 1.
        var mqttCases = MqttCases(nowMs);
        foreach (var c in mqttCases)
        {
            await PublishAsync(publisher, run, "x", c.Payload);
        }

        // Kafka.
        var kafkaCases = KafkaCases(nowMs);
        foreach (var c in kafkaCases)
        {
            await producer.ProduceAsync(topic, new Message<Null, byte[]> { Value = c.Payload });
        }

        // HTTP: answered at the edge (4xx with the reason, nothing kept) or accepted into the journal.
        var httpCases = HttpCases(nowMs);
        var httpRejectedLines = 0;
        foreach (var c in httpCases)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(c.Path, UriKind.Relative)) { Content = c.Content() };

            // As curl does for large bodies: the service can refuse before the body is sent.
            request.Headers.ExpectContinue = true;
            HttpResponseMessage response;
            try
            {
                response = await http.SendAsync(request);
            }
            catch (HttpRequestException e) when (c.ClosedIsRefusal && e.InnerException is IOException)
            {
                output.WriteLine($"HTTP {c.Name}: the service closed the connection while the body was sent ({e.InnerException.Message})");
                continue;
            }

            using var answer = response;
            var body = await response.Content.ReadAsStringAsync();
            output.WriteLine($"HTTP {c.Name}: {(int)response.StatusCode} {body[..Math.Min(body.Length, 160)]}");
            Assert.True(c.Expected == response.StatusCode, $"{c.Name}: expected {c.Expected}, got {response.StatusCode}: {body}");
            if (c.Reason is not null)
            {
                Assert.Contains(c.Reason, body, StringComparison.Ordinal);
            }

            if (c.Name == "partial write")
            {
                httpRejectedLines++;
            }
        }

        // What the valid HTTP cases and the stored MQTT/Kafka cases add to storage.
        foreach (var c in mqttCases.Concat(kafkaCases).Where(c => c.Reason is null && !c.Duplicate))
        {
            var (device, metric) = StoredIdentity(c.Name);
            Expect(device, metric);
        }

        Expect("bom-h", Metric);
        Expect("h1,evil=1 x=2", Metric);
        Expect("h-lp", Metric, 2);
        Expect("h-lp", "va lue,x=1");
        Expect("w1", Metric, 2);
        Expect("v1", Metric);

        // Everything accounted for: every message that entered the graph ended in exactly one outcome.
        var graphSide = mqttCases.Count + kafkaCases.Count;
        var counted = default(Outcomes);
        await WaitUntilAsync(
            async () =>
            {
                counted = await StatusAsync(http);
                return counted.Received >= 27 + graphSide && counted.InFlight == 0 && counted.Received == counted.Stored + counted.DeadLettered + counted.Duplicate;
            },
            () => $"received {counted.Received} = stored {counted.Stored} + dead-lettered {counted.DeadLettered} + duplicate {counted.Duplicate}, in flight {counted.InFlight}");
        output.WriteLine($"received {counted.Received} = stored {counted.Stored} + dead-lettered {counted.DeadLettered} + duplicate {counted.Duplicate}");
        var expectedReasons = mqttCases.Concat(kafkaCases).Where(c => c.Reason is not null)
            .GroupBy(c => c.Reason!.Value.ToString()).ToDictionary(g => g.Key, g => (long)g.Count());
        expectedReasons[nameof(RejectReason.NoMetrics)] = expectedReasons.GetValueOrDefault(nameof(RejectReason.NoMetrics)) + httpRejectedLines;
        expectedReasons[nameof(RejectReason.MalformedPayload)] += 2; // the warm-up's MQTT and Kafka refusals
        var actualReasons = new Dictionary<string, long>();
        await WaitUntilAsync(
            async () =>
            {
                actualReasons = await DeadLetterReasonsAsync(http);
                return actualReasons.Values.Sum() >= expectedReasons.Values.Sum();
            },
            "the dead letters");
        foreach (var (reason, count) in expectedReasons.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"{reason}: expected {count}, dead-lettered {actualReasons.GetValueOrDefault(reason)}");
        }

        Assert.Equal(expectedReasons.OrderBy(r => r.Key, StringComparer.Ordinal), actualReasons.Where(r => r.Value > 0).OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(1, counted.Duplicate);

        // Valid data after the corpus is stored within seconds.
        var after = Stopwatch.StartNew();
        for (var i = 0; i < 10; i++)
        {
            await PublishAsync(publisher, run, "after", Valid("after", nowMs + (i * 1000), i));
            Expect("after", Metric);
        }

        var raw = await StoredData.RawAsync(influx.Server, db, measurements, stored);
        output.WriteLine($"valid data after the corpus stored in {after.Elapsed.TotalSeconds:0.0} s");
        Assert.Equal(stored.Count, raw.Count);
        Assert.True(after.Elapsed < TimeSpan.FromSeconds(30), $"valid data after the corpus took {after.Elapsed} to be stored");

        await stopPolling.CancelAsync();
        await polling;
        Assert.NotEmpty(readiness);
        Assert.All(readiness, s => Assert.Equal(HttpStatusCode.OK, s));
        var final = await StatusAsync(http);
        Assert.Equal((true, 0L), (final.Running, final.Restarts));

        // Nothing in InfluxDB that valid data did not define.
        await AssertSchemaAsync(db, measurements);

        // What the corpus cost once it is handled (the service gives back the memory of very large messages).
        await Task.Delay(TimeSpan.FromSeconds(3));
        var rssAfter = service.RssBytes!.Value;
        output.WriteLine($"service RSS before the corpus {rssBefore / 1e6:0} MB, after {rssAfter / 1e6:0} MB, peak {service.PeakRssBytes / 1e6:0} MB");
        Assert.True(rssAfter - rssBefore < 50_000_000, $"service RSS grew by {(rssAfter - rssBefore) / 1e6:0} MB");
    }

    private static List<Case> MqttCases(long nowMs)
    {
        var t = nowMs - 30_000;
        var keys = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"m{i}\":1"));
        var deep = "{\"deviceId\":\"m1\",\"a\":" + string.Concat(Enumerable.Repeat("{\"b\":", 1000)) + "1" + new string('}', 1001);
        return
        [
            Case.Text("truncated", "{\"deviceId\":\"m1\",\"ts\":", RejectReason.MalformedPayload),
            Case.Text("not json", "not json", RejectReason.MalformedPayload),
            Case.Text("empty", string.Empty, RejectReason.MalformedPayload),
            Case.Text("whitespace", "  \n\t ", RejectReason.MalformedPayload),
            Case.Text("string metric", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":\"warm\"}}", RejectReason.NoMetrics),
            Case.Text("NaN literal", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":NaN}}", RejectReason.MalformedPayload),
            Case.Text("+overflow", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":1e999}}", RejectReason.NotFinite),
            Case.Text("-overflow", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":-1e999}}", RejectReason.NotFinite),
            Case.Text("timestamp overflow", $"{{\"deviceId\":\"m1\",\"ts\":99999999999999999999999,\"{Metric}\":1}}", RejectReason.InvalidTimestamp),
            Case.Text("far future", $"{{\"deviceId\":\"m1\",\"ts\":{nowMs + 172_800_000},\"{Metric}\":1}}", RejectReason.TimestampTooFarInFuture),
            Case.Text("negative timestamp", $"{{\"deviceId\":\"m1\",\"ts\":-1000,\"{Metric}\":1}}", RejectReason.TimestampTooFarInPast),
            Case.Text("epoch zero", $"{{\"deviceId\":\"m1\",\"ts\":0,\"{Metric}\":1}}", RejectReason.TimestampTooFarInPast),
            new("16 MB", Enumerable.Repeat((byte)'{', 16 * 1024 * 1024).ToArray(), RejectReason.TooLarge),
            Case.Text("300 KB padded", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":1,\"pad\":\"{new string('p', 300_000)}\"}}", RejectReason.TooLarge),
            Case.Text("20,000 keys", $"{{\"deviceId\":\"m1\",\"ts\":{t},{keys}}}", RejectReason.TooManyMetrics),
            Case.Text("deep nesting", deep, RejectReason.MalformedPayload),
            Case.Text("duplicate metric key", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":1,\"{Metric}\":2}}", RejectReason.MalformedPayload),
            Case.Text("duplicate device key", $"{{\"deviceId\":\"m1\",\"deviceId\":\"m2\",\"ts\":{t},\"{Metric}\":1}}", RejectReason.MalformedPayload),
            Case.Text("mixed array", $"[{{\"deviceId\":\"m1\",\"ts\":{t},\"{Metric}\":1}},5]", RejectReason.WrongType),
            Case.Text("line protocol on a JSON topic", $"m,deviceId=m1 {Metric}=1 {t}000000", RejectReason.MalformedPayload),
            new("invalid UTF-8", [.. "{\"deviceId\":\""u8.ToArray(), 0xff, 0xfe, .. Encoding.UTF8.GetBytes($"\",\"{Metric}\":1}}")], RejectReason.MalformedPayload),
            new("bom-m", [0xEF, 0xBB, 0xBF, .. Valid("bom-m", t, 1)], null),
            new("m1,evil=1 x=2", Valid("m1,evil=1 x=2", t, 1), null),
            Case.Text("newline in device id", $"{{\"deviceId\":\"m1\\nx\",\"ts\":{t},\"{Metric}\":1}}", RejectReason.InvalidCharacters),
            Case.Text("m-inj|temp,evil=1 x=2", $"{{\"deviceId\":\"m-inj\",\"ts\":{t},\"temp,evil=1 x=2\":1}}", null),
            Case.Text("empty device id", $"{{\"deviceId\":\"\",\"ts\":{t},\"{Metric}\":1}}", RejectReason.EmptyIdentifier),
            Case.Text("long device id", $"{{\"deviceId\":\"{new string('d', 300)}\",\"ts\":{t},\"{Metric}\":1}}", RejectReason.IdentifierTooLong),
            Case.Text("control character in metric", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"te\\u0001mp\":1}}", RejectReason.InvalidCharacters),
            Case.Text("null", "null", RejectReason.MalformedPayload),
            Case.Text("empty array", "[]", RejectReason.NoMetrics),
            Case.Text("empty object", "{}", RejectReason.MissingDeviceId),
            Case.Text("no metrics", "{\"deviceId\":\"m1\"}", RejectReason.NoMetrics),
            Case.Text("array device id", $"{{\"deviceId\":[\"a\"],\"ts\":{t},\"{Metric}\":1}}", RejectReason.WrongType),
            Case.Text("200 KB string", $"{{\"deviceId\":\"m1\",\"ts\":{t},\"note\":\"{new string('n', 200_000)}\"}}", RejectReason.NoMetrics),
            new("m-valid", Valid("m-valid", t, 7), null),
            new("m-valid (again)", Valid("m-valid", t, 7), null, Duplicate: true),
            Case.Text("m-bool", $"{{\"deviceId\":\"m-bool\",\"ts\":{t},\"{Metric}\":true,\"x\":{{}}}}", null),
        ];
    }

    private static List<Case> KafkaCases(long nowMs)
    {
        var t = nowMs - 20_000;
        var keys = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"k{i}\":1"));
        return
        [
            Case.Text("k truncated", "{\"deviceId\":\"k1\",\"ts\"", RejectReason.MalformedPayload),
            Case.Text("k NaN", $"{{\"deviceId\":\"k1\",\"ts\":{t},\"{Metric}\":NaN}}", RejectReason.MalformedPayload),
            Case.Text("k 300 KB", $"{{\"deviceId\":\"k1\",\"ts\":{t},\"{Metric}\":1,\"pad\":\"{new string('p', 300_000)}\"}}", RejectReason.TooLarge),
            Case.Text("k 20,000 keys", $"{{\"deviceId\":\"k1\",\"ts\":{t},{keys}}}", RejectReason.TooManyMetrics),
            Case.Text("k duplicate key", $"{{\"deviceId\":\"k1\",\"ts\":{t},\"{Metric}\":1,\"{Metric}\":1}}", RejectReason.MalformedPayload),
            new("k invalid UTF-8", [.. "{\"deviceId\":\""u8.ToArray(), 0xc3, 0x28, .. Encoding.UTF8.GetBytes($"\",\"{Metric}\":1}}")], RejectReason.MalformedPayload),
            Case.Text("k empty", string.Empty, RejectReason.MalformedPayload),
            Case.Text("k far future", $"{{\"deviceId\":\"k1\",\"ts\":{nowMs + 172_800_000},\"{Metric}\":1}}", RejectReason.TimestampTooFarInFuture),
            new("k1,evil=1", Valid("k1,evil=1", t, 1), null),
            new("k-valid", Valid("k-valid", t, 2), null),
        ];
    }

    private static List<HttpCase> HttpCases(long nowMs)
    {
        var t = nowMs - 10_000;
        var ns = t * 1_000_000;
        var keys = string.Join(",", Enumerable.Range(0, 20_000).Select(i => $"\"h{i}\":1"));
        var deep = "{\"deviceId\":\"h1\",\"a\":" + string.Concat(Enumerable.Repeat("[", 2000)) + new string(']', 2000) + "}";
        static HttpContent Json(string text) => new StringContent(text, Encoding.UTF8, "application/json");
        static HttpContent Lp(string text) => new StringContent(text, Encoding.UTF8, "text/plain");
        return
        [
            new("truncated", "/api/ingest", () => Json("{\"deviceId\":\"h1\","), HttpStatusCode.BadRequest, "MalformedPayload"),
            new("16 MB chunked", "/api/ingest", () => Streamed(16L * 1024 * 1024, declareLength: false, "application/json"), HttpStatusCode.RequestEntityTooLarge, ClosedIsRefusal: true),
            new("100 MB declared", "/api/ingest", () => Streamed(100L * 1024 * 1024, declareLength: true, "application/json"), HttpStatusCode.RequestEntityTooLarge),
            new("empty", "/api/ingest", () => Json(string.Empty), HttpStatusCode.BadRequest, "MalformedPayload"),
            new("whitespace", "/api/ingest", () => Json(" \r\n "), HttpStatusCode.BadRequest, "MalformedPayload"),
            new("bom", "/api/ingest", () => new ByteArrayContent([0xEF, 0xBB, 0xBF, .. Valid("bom-h", t, 1)]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, HttpStatusCode.Accepted),
            new("20,000 keys", "/api/ingest", () => Json($"{{\"deviceId\":\"h1\",\"ts\":{t},{keys}}}"), HttpStatusCode.BadRequest, "TooManyMetrics"),
            new("NaN", "/api/ingest", () => Json($"{{\"deviceId\":\"h1\",\"ts\":{t},\"{Metric}\":NaN}}"), HttpStatusCode.BadRequest, "MalformedPayload"),
            new("device id injection", "/api/ingest", () => Json(Encoding.UTF8.GetString(Valid("h1,evil=1 x=2", t, 1))), HttpStatusCode.Accepted),
            new("deep nesting", "/api/ingest", () => Json(deep), HttpStatusCode.BadRequest, "MalformedPayload"),
            new("invalid UTF-8", "/api/ingest", () => new ByteArrayContent([.. "{\"deviceId\":\""u8.ToArray(), 0xff, .. "\"}"u8.ToArray()]) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }, HttpStatusCode.BadRequest, "MalformedPayload"),
            new("tag value injection", "/api/ingest", () => Lp($"m,deviceId=h-lp,host=a\\,evil\\=1\\ x=2 {Metric}=1 {ns}"), HttpStatusCode.Accepted),
            new("field key injection", "/api/ingest", () => Lp($"cpu,deviceId=h-lp va\\ lue\\,x\\=1=1 {ns}"), HttpStatusCode.Accepted),
            new("line-protocol timestamp overflow", "/api/ingest", () => Lp($"m,deviceId=h-lp {Metric}=1 99999999999999999999"), HttpStatusCode.BadRequest, "InvalidTimestamp"),
            new("not line protocol", "/api/ingest", () => Lp("this is not line protocol"), HttpStatusCode.BadRequest),
            new("second lp point", "/api/ingest", () => Lp($"m,deviceId=h-lp {Metric}=2 {ns + 1}"), HttpStatusCode.Accepted),
            new("v1 injection", "/write?db=hostile", () => Lp($"m,deviceId=w1,host=b\\ evil\\=1 {Metric}=1 {ns}"), HttpStatusCode.NoContent),
            new("partial write", "/write?db=hostile", () => Lp($"m,deviceId=w1 {Metric}=2 {ns + 1}\nm,deviceId=w1 {Metric}=\"text\" {ns + 2}"), HttpStatusCode.BadRequest),
            new("v1 16 MB", "/write?db=hostile", () => Streamed(16L * 1024 * 1024, declareLength: false, "text/plain"), HttpStatusCode.RequestEntityTooLarge, ClosedIsRefusal: true),
            new("v1 no db", "/write", () => Lp($"m,deviceId=w1 {Metric}=3 {ns + 3}"), HttpStatusCode.BadRequest),
            new("v2 valid", "/api/v2/write?bucket=b&org=o", () => Lp($"m,deviceId=v1 {Metric}=1 {ns}"), HttpStatusCode.NoContent),
            new("v2 100 MB declared", "/api/v2/write?bucket=b&org=o", () => Streamed(100L * 1024 * 1024, declareLength: true, "text/plain"), HttpStatusCode.RequestEntityTooLarge),
            new("v2 bad precision", "/api/v2/write?bucket=b&org=o&precision=fortnight", () => Lp($"m,deviceId=v1 {Metric}=1 {t}"), HttpStatusCode.BadRequest),
            new("v2 whitespace (InfluxDB takes an empty write)", "/api/v2/write?bucket=b&org=o", () => Lp("   \n  "), HttpStatusCode.NoContent),
        ];
    }

    /// <summary>The (device, metric) a stored case's name stands for: "device|metric", or the device alone for the default metric.</summary>
    private static (string Device, string Metric) StoredIdentity(string name) =>
        name.Contains('|', StringComparison.Ordinal) ? (name[..name.IndexOf('|', StringComparison.Ordinal)], name[(name.IndexOf('|', StringComparison.Ordinal) + 1)..]) :
        (name, Metric);

    private static byte[] Valid(string device, long tsMs, double value) =>
        JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["deviceId"] = device, ["ts"] = tsMs, [Metric] = value });

    private static HttpContent Streamed(long length, bool declareLength, string mediaType)
    {
        var content = new StreamContent(new PatternStream(length));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        if (declareLength)
        {
            content.Headers.ContentLength = length;
        }

        return content;
    }

    private static async Task PublishAsync(IMqttClient publisher, string run, string device, byte[] payload)
    {
        var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"hostile/{run}/{device}").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.True(result.IsSuccess, result.ReasonString);
    }

    private async Task AssertSchemaAsync(string db, IReadOnlySet<string> metrics)
    {
        var allowed = new Dictionary<string, (HashSet<string> Tags, HashSet<string> Fields)>(StringComparer.Ordinal)
        {
            ["window_10s"] = (["deviceId", "metric", "host"], [.. ReactiveIngest.Service.Outputs.Influx.AggregatePoints.Fields]),
            ["window_progress"] = (["window", "partition"], ["final_watermark"]),
        };
        foreach (var metric in metrics)
        {
            allowed[metric] = (["deviceId", "host"], ["value"]);
        }

        var found = Values(await influx.Server.QueryAsync("SHOW MEASUREMENTS", db)).Select(v => v[0]).ToList();
        output.WriteLine($"measurements: {string.Join(" | ", found)}");
        var unexpected = found.Where(m => !allowed.ContainsKey(m) && m != "pipeline_health").ToList();
        Assert.True(unexpected.Count == 0, $"measurements no valid data defined: {string.Join(" | ", unexpected)}");
        foreach (var (measurement, keys) in SeriesValues(await influx.Server.QueryAsync("SHOW TAG KEYS", db)).Where(s => allowed.ContainsKey(s.Name)))
        {
            var extra = keys.Select(k => k[0]).Where(k => !allowed[measurement].Tags.Contains(k)).ToList();
            Assert.True(extra.Count == 0, $"tag keys of '{measurement}' no valid data defined: {string.Join(" | ", extra)}");
        }

        foreach (var (measurement, keys) in SeriesValues(await influx.Server.QueryAsync("SHOW FIELD KEYS", db)).Where(s => allowed.ContainsKey(s.Name)))
        {
            var extra = keys.Select(k => k[0]).Where(k => !allowed[measurement].Fields.Contains(k)).ToList();
            Assert.True(extra.Count == 0, $"field keys of '{measurement}' no valid data defined: {string.Join(" | ", extra)}");
        }
    }

    private static List<string[]> Values(string json) => [.. SeriesValues(json).SelectMany(s => s.Values)];

    private static List<(string Name, List<string[]> Values)> SeriesValues(string json)
    {
        using var document = JsonDocument.Parse(json);
        var result = new List<(string, List<string[]>)>();
        foreach (var r in document.RootElement.GetProperty("results").EnumerateArray())
        {
            if (!r.TryGetProperty("series", out var series))
            {
                continue;
            }

            foreach (var s in series.EnumerateArray())
            {
                var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                var values = s.TryGetProperty("values", out var v)
                    ? v.EnumerateArray().Select(row => row.EnumerateArray().Select(x => x.ToString()).ToArray()).ToList()
                    : [];
                result.Add((name, values));
            }
        }

        return result;
    }

    private static async Task PollReadinessAsync(HttpClient http, List<HttpStatusCode> seen, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative), CancellationToken.None);
            lock (seen)
            {
                seen.Add(response.StatusCode);
            }

            try
            {
                await Task.Delay(100, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>What <c>/api/status</c> says of how messages ended, what is in flight and the graph.</summary>
    private readonly record struct Outcomes(long Received, long Stored, long DeadLettered, long Duplicate, long InFlight, bool Running, long Restarts);

    private static async Task<Outcomes> StatusAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/status", UriKind.Relative)));
        var root = document.RootElement;
        var messages = root.GetProperty("messages");
        var graph = root.GetProperty("graph");
        return new Outcomes(
            messages.GetProperty("received").GetInt64(),
            messages.GetProperty("stored").GetInt64(),
            messages.GetProperty("deadLettered").GetInt64(),
            messages.GetProperty("duplicate").GetInt64(),
            root.GetProperty("inFlight").GetInt64(),
            graph.GetProperty("running").GetBoolean(),
            graph.GetProperty("restarts").GetInt64());
    }

    private static async Task<Dictionary<string, long>> DeadLetterReasonsAsync(HttpClient http)
    {
        using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/deadletters?limit=1", UriKind.Relative)));
        return document.RootElement.GetProperty("byReason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, string what) => WaitUntilAsync(condition, () => what);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting: {describe()}");
            await Task.Delay(200);
        }
    }

    /// <summary>A body of <c>length</c> bytes made as it is read, so the test itself never holds it.</summary>
    private sealed class PatternStream(long length) : Stream
    {
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var n = (int)Math.Min(count, length - _position);
            buffer.AsSpan(offset, n).Fill((byte)'x');
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
