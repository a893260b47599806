// A Kafka consumer in a process of its own, for the crash test (a real SIGKILL, no shutdown code runs).
// It consumes numbered records ("000042") with KafkaSource.Committable and, for each of the first
// --release N records, prints "DURABLE <number>" before releasing its handle (so every offset it may have
// committed was reported first). Later records are received but never released; the first one prints
// "HOLDING". The test kills the process whenever it likes.
//
// Usage: dotnet ReactiveIngest.KafkaConsumerHost.dll --bootstrap <servers> --group <id> --topic <name> --release <N>
// stdout: "STARTED", then "DURABLE <number>" lines and one "HOLDING". Diagnostics go to stderr.
using System.Globalization;
using System.Text;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Kafka.Consumer;
using ReactiveIngest.Streams.Delivery;

string? bootstrap = null, group = null, topic = null;
var release = -1;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--bootstrap": bootstrap = args[i + 1]; break;
        case "--group": group = args[i + 1]; break;
        case "--topic": topic = args[i + 1]; break;
        case "--release": release = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            return 2;
    }
}

if (bootstrap is null || group is null || topic is null || release < 0)
{
    Console.Error.WriteLine("Usage: --bootstrap <servers> --group <id> --topic <name> --release <N>");
    return 2;
}

var settings = new KafkaConsumerSettings
{
    BootstrapServers = bootstrap,
    GroupId = group,
    Topics = [topic],
    CommitBatchSize = 100,
    CommitInterval = TimeSpan.FromMilliseconds(200),
    Properties = new Dictionary<string, string>
    {
        ["session.timeout.ms"] = "6000",
        ["heartbeat.interval.ms"] = "500",
    },
    Log = line => Console.Error.WriteLine(line),
};

var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
using var system = ActorSystem.Create("kafka-consumer-host");
var received = 0;
var (control, done) = KafkaSource.Committable(settings)
    .ToMaterialized(
        Sink.ForEach<Envelope<RawMessage>>(envelope =>
        {
            var n = ++received;
            if (n > release)
            {
                if (n == release + 1)
                {
                    stdout.WriteLine("HOLDING");
                }

                return; // received, never released: its offset must not be committed
            }

            var number = int.Parse(Encoding.ASCII.GetString(envelope.Payload.Payload.Span), CultureInfo.InvariantCulture);
            stdout.WriteLine($"DURABLE {number}"); // written to the pipe before the handle can be committed
            envelope.Ack.Release();
        }),
        Keep.Both)
    .Run(system.Materializer());
stdout.WriteLine("STARTED");
await done;
await control.Completion;
return 0;
