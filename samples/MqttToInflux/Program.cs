// Sample: a minimal MQTT → decode → 10 s windows → InfluxDB pipeline written in code, without the service.
// MqttSource.Create subscribes to telemetry/#, DecodeFlow turns JSON payloads ({"deviceId":"d1","ts":…,"temperature":21.5})
// into validated readings, WindowAggregate folds them into 10 s tumbling windows, and InfluxSink writes one point per
// window (measurement "telemetry_10s", tags deviceId/metric, fields count/mean/min/max) with PointBuilder.
// Acknowledgement: every sink releases what it receives (InfluxSink releases stored points; the dead-letter and
// late-reading sinks below print and release), so MQTT messages are acknowledged once their windows are stored.
// With --self-test it publishes a few demo messages itself. After the given seconds it drains (open windows are
// emitted as final and written), prints the counters and exits 0.
// Usage: dotnet run --project samples/MqttToInflux -- <mqttHost> <mqttPort> <influxUrl> <database> <seconds> [--self-test]
using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Stages;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Mqtt.Publishing;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: MqttToInflux <mqttHost> <mqttPort> <influxUrl> <database> <seconds> [--self-test]");
    return 2;
}

var host = args[0];
var port = int.Parse(args[1], CultureInfo.InvariantCulture);
var influxUrl = new Uri(args[2]);
var database = args[3];
var seconds = int.Parse(args[4], CultureInfo.InvariantCulture);
var selfTest = args.Contains("--self-test");

using var system = ActorSystem.Create("mqtt-to-influx");
var materializer = system.Materializer();

var source = MqttSource.Create(MqttSourceSettings.Builder()
    .WithName("sample")
    .WithBroker(host, port)
    .WithClientId("mqtt-to-influx-sample")
    .WithTopic("telemetry/#")
    .Build());

// Rejected payloads and late readings are printed, then released (their messages are acknowledged: nothing is lost silently).
var deadLetters = Sink.ForEach<Envelope<DeadLetter>>(e =>
{
    Console.WriteLine($"dead letter: {e.Payload.Reason} {e.Payload.Detail}");
    e.Ack.Release();
});
var lateReadings = Sink.ForEach<Envelope<Reading>>(e =>
{
    Console.WriteLine($"late reading: {e.Payload.DeviceId}/{e.Payload.Metric}");
    e.Ack.Release();
});

var windows = new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromSeconds(10))) { AllowedLateness = TimeSpan.FromSeconds(5) };
using var writer = new InfluxWriter(new InfluxWriterOptions { Url = influxUrl, Database = database, FlushInterval = TimeSpan.FromMilliseconds(200) });
var written = 0;

var (control, done) = source
    .Via(DecodeFlow.Create(new JsonReadingDecoder(), deadLetters, new ReadingValidator()))
    .Via(WindowAggregate.Create(new WindowAggregateSettings(windows), lateReadings, deadLetters))
    .Select(e =>
    {
        var r = e.Payload;
        Interlocked.Increment(ref written);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window {UnixTime.ToDateTimeOffset(r.StartNs):HH:mm:ss} {r.Key.DeviceId}/{r.Key.Metric} {r.Kind} count={r.Aggregates.Count} mean={r.Aggregates.Mean:F2}"));
        var point = PointBuilder.Measurement("telemetry_10s")
            .Tag("deviceId", r.Key.DeviceId)
            .Tag("metric", r.Key.Metric)
            .Field("count", r.Aggregates.Count)
            .Field("mean", r.Aggregates.Mean)
            .Field("min", r.Aggregates.Min)
            .Field("max", r.Aggregates.Max)
            .Timestamp(r.StartNs)
            .Build();
        return new Envelope<LinePoint>(point, e.Ack);
    })
    .ToMaterialized(InfluxSink.Create(writer, deadLetters, "sample"), Keep.Both)
    .Run(materializer);

if (selfTest)
{
    await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
    var now = UnixTime.Now(TimeProvider.System);
    var demo = Enumerable.Range(0, 30).Select(i =>
    {
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"deviceId":"demo-{{i % 3}}","ts":{{now - ((30 - i) * 1_000_000_000L)}},"temperature":{{20 + (i % 5)}}.5,"humidity":{{40 + i}}}""");
        return new Envelope<MqttOutgoingMessage>(new MqttOutgoingMessage($"telemetry/demo-{i % 3}", Encoding.UTF8.GetBytes(json)), AckHandle.None);
    });
    // One publish at a time: the demo timestamps rise one second per message, and publishes in flight together may
    // reach the broker in another order, which would make some readings late.
    var publisher = new MqttPublisherSettings { Connection = new MqttConnectionSettings { Host = host, Port = port, ClientId = "mqtt-to-influx-demo" }, MaxInFlight = 1 };
    await Source.From(demo).RunWith(MqttPublisher.Sink(publisher), materializer);
    Console.WriteLine("published 30 demo messages");
}

await Task.Delay(TimeSpan.FromSeconds(seconds));

// Open windows hold their messages' handles until they are emitted, and they are emitted as final only when the
// stream completes, so a drain cannot become idle by itself: give in-flight batches a moment, then stop. Messages
// still unacknowledged when the connection closes are redelivered on the next start (same client id) and rewrite
// the same points.
await control.DrainAndShutdownAsync(TimeSpan.FromSeconds(2));
await done.WaitAsync(TimeSpan.FromSeconds(60));
var stats = control.Statistics;
Console.WriteLine($"windows emitted and stored: {written}; source: {stats}");
return 0;
