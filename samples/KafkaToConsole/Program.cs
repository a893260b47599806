// Sample: Kafka → decode → 10 s windows → console. KafkaSource.Committable consumes JSON telemetry from a topic,
// DecodeFlow turns it into validated readings, WindowAggregate folds them into 10 s tumbling windows, and each window
// result is printed ("window …") and then its handle released; the window stage releases the records' handles once
// their windows are printed, and the source commits the released offsets. Rejected records and late readings are
// printed and released too, so no record is held forever or dropped silently.
// With --produce N it first produces N demo records (KafkaSink) to the topic. After the given seconds it stops the
// consumer (offsets of released records are committed; open windows are then emitted as final and printed) and exits 0.
// Usage: dotnet run --project samples/KafkaToConsole -- <bootstrapServers> <topic> <seconds> [--produce N]
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
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Kafka.Producer;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Windows;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: KafkaToConsole <bootstrapServers> <topic> <seconds> [--produce N]");
    return 2;
}

var bootstrap = args[0];
var topic = args[1];
var seconds = int.Parse(args[2], CultureInfo.InvariantCulture);
var produceAt = Array.IndexOf(args, "--produce");
var produce = produceAt >= 0 && produceAt + 1 < args.Length ? int.Parse(args[produceAt + 1], CultureInfo.InvariantCulture) : 0;

using var system = ActorSystem.Create("kafka-to-console");
var materializer = system.Materializer();

if (produce > 0)
{
    // Demo records spread over the last minute of event time, keyed by device so each device stays in one partition.
    var now = UnixTime.Now(TimeProvider.System);
    var records = Enumerable.Range(0, produce).Select(i => new Envelope<int>(i, AckHandle.None));
    await Source.From(records).RunWith(KafkaSink.Create<int>(new KafkaProducerSettings { BootstrapServers = bootstrap }, i =>
    {
        var device = $"pump-{i % 4}";
        var ts = now - ((long)(produce - i) * 60_000_000_000L / produce);
        var json = string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"{{device}}","ts":{{ts}},"pressure":{{3 + (i % 7 * 0.1)}}}""");
        return new KafkaProducerRecord(topic, device, Encoding.UTF8.GetBytes(json));
    }), materializer);
    Console.WriteLine($"produced {produce} demo records to {topic}");
}

var settings = new KafkaConsumerSettings
{
    BootstrapServers = bootstrap,
    GroupId = "kafka-to-console-sample",
    Topics = [topic],
    StartPosition = KafkaStartPosition.Earliest,
};
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
var printed = 0;

var (control, done) = KafkaSource.Committable(settings)
    .Via(DecodeFlow.Create(new JsonReadingDecoder(), deadLetters, new ReadingValidator()))
    .Via(WindowAggregate.Create(new WindowAggregateSettings(windows), lateReadings, deadLetters))
    .ToMaterialized(Sink.ForEach<Envelope<WindowResult>>(e =>
    {
        var r = e.Payload;
        var a = r.Aggregates;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"window {UnixTime.ToDateTimeOffset(r.StartNs):HH:mm:ss}-{UnixTime.ToDateTimeOffset(r.EndNs):HH:mm:ss} {r.Key.DeviceId}/{r.Key.Metric} {r.Kind} count={a.Count} min={a.Min:F2} mean={a.Mean:F2} max={a.Max:F2}"));
        printed++;

        // Printing is this sink's "write": release the result so the records behind it can be committed.
        e.Ack.Release();
    }), Keep.Both)
    .Run(materializer);

await Task.Delay(TimeSpan.FromSeconds(seconds));

// Windows still open hold their records' handles; StopAsync commits what was released, leaves the group and
// completes the stream, which emits those windows as final (printed above). Their records were not committed
// and are consumed again on the next run with the same group id.
await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(60));
await done.WaitAsync(TimeSpan.FromSeconds(60));
Console.WriteLine($"{printed} window results printed; source: {control.Statistics}");
return 0;
