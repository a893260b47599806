// Starts librdkafka's built-in mock cluster (real Kafka-protocol brokers on loopback) so that tests in
// other processes can produce to and consume from it, and takes fault-injection commands on stdin.
//
// Usage: dotnet ReactiveIngest.KafkaMockCluster.dll [--brokers N] [--topic name:partitions]... [--rebalance-delay-ms N]
//
// Protocol (one line each, UTF-8):
//   stdout, once at start:  BOOTSTRAP <host:port,host:port,...>
//   stdin commands and their single-line replies ("OK <command>" or "ERR <command>: <reason>"):
//     topic <name> <partitions> [replication]   create a topic
//     down <brokerId>                            take a broker down (ids are 1..N)
//     up <brokerId>                              bring it back
//     errors <apiKey> <code>[,<code>...]         fail the next requests of an API with these error codes
//     rebalance-delay <ms>                       the group coordinator's initial rebalance delay
//     ping                                       liveness check
//     quit                                       stop (closing stdin does the same)
// Diagnostics go to stderr.
using System.Globalization;
using ReactiveIngest.KafkaMockCluster;

var brokers = 3;
var topics = new List<(string Name, int Partitions)>();
int? rebalanceDelayMs = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--brokers" when i + 1 < args.Length:
            brokers = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--topic" when i + 1 < args.Length:
            var parts = args[++i].Split(':');
            topics.Add((parts[0], parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 1));
            break;
        case "--rebalance-delay-ms" when i + 1 < args.Length:
            rebalanceDelayMs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Usage: [--brokers N] [--topic name:partitions]... [--rebalance-delay-ms N]");
            return 2;
    }
}

using var cluster = MockCluster.Start(brokers);
var stdout = Console.Out;
if (rebalanceDelayMs is { } delay)
{
    cluster.SetGroupInitialRebalanceDelay(delay);
}

foreach (var (name, partitions) in topics)
{
    cluster.CreateTopic(name, partitions, Math.Min(brokers, 3));
}

stdout.WriteLine($"BOOTSTRAP {cluster.BootstrapServers}");
stdout.Flush();
Console.Error.WriteLine($"mock cluster with {brokers} broker(s) at {cluster.BootstrapServers}");

string? line;
while ((line = Console.In.ReadLine()) is not null)
{
    line = line.Trim();
    if (line.Length == 0)
    {
        continue;
    }

    if (line == "quit")
    {
        stdout.WriteLine("OK quit");
        stdout.Flush();
        break;
    }

    try
    {
        CommandInterpreter.Execute(cluster, line);
        stdout.WriteLine($"OK {line}");
    }
    catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
    {
        stdout.WriteLine($"ERR {line}: {ex.Message}");
    }

    stdout.Flush();
}

Console.Error.WriteLine("mock cluster stopping");
return 0;
