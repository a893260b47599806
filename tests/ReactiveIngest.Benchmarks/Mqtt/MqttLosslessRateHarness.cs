using ReactiveIngest.Simulator.Servers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Simulator.Transport;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Benchmarks.Mqtt;

/// <summary>
/// Finds the highest QoS 1 publish rate each consumer takes without losing a message, on one Mosquitto
/// with default settings: <c>mosquitto_sub -q 1</c> (the ideal consumer), MqttSource → JSON decode →
/// discarding sink over one connection, and over N shared-subscription connections. The rate steps up
/// until a consumer loses messages (Mosquitto drops what exceeds a session's queue when it falls behind).
/// The publisher is the fleet simulator's MQTT transport over several connections, so it outruns the consumers.
/// Usage: <c>dotnet run -c Release --project tests/ReactiveIngest.Benchmarks -- --mqtt-lossless [seconds=5] [connections=3] [rates=5000,10000,...]</c>
/// </summary>
internal static class MqttLosslessRateHarness
{
    private const int PublisherConnections = 4;
    private const int PublisherWindow = 256;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
        var connections = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
        var rates = args.Length > 2
            ? args[2].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray()
            : [5000, 10000, 15000, 20000, 25000, 30000, 35000, 40000];
        await using var server = new MosquittoServer();
        await server.StartAsync();
        using var system = ActorSystem.Create("bench", "akka.loglevel = WARNING");
        var materializer = system.Materializer();
        Console.WriteLine($"Mosquitto on {server.Host}:{server.Port} (default settings), {seconds} s per step, {Environment.ProcessorCount} cores");
        var consumers = new (string Name, Func<string, Task<Consumer>> Start)[]
        {
            ("mosquitto_sub -q 1", topic => MosquittoSubConsumer(server, topic)),
            ("MqttSource x1 -> decode -> ignore", topic => SourceConsumer(server, topic, 1, materializer)),
            ($"MqttSource x{connections} shared -> decode -> ignore", topic => SourceConsumer(server, topic, connections, materializer)),
        };
        var ceilings = new Dictionary<string, int>();
        foreach (var (name, start) in consumers)
        {
            var ceiling = 0;
            foreach (var rate in rates)
            {
                var topic = $"bench/{Guid.NewGuid():N}";
                await using var consumer = await start(topic);
                var (published, achieved) = await PublishAsync(server, topic, rate, seconds);
                var received = await consumer.WaitQuietAsync(published);
                var lossless = received >= published;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-40} target {rate,6}/s achieved {achieved,8:F0}/s published {published,7} received {received,7} {(lossless ? "lossless" : "LOST " + (published - received))}"));
                if (!lossless)
                {
                    break;
                }

                ceiling = Math.Max(ceiling, (int)achieved);
            }

            ceilings[name] = ceiling;
        }

        Console.WriteLine();
        var ideal = ceilings.First().Value;
        foreach (var (name, ceiling) in ceilings)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"lossless ceiling {name,-40} {ceiling,7}/s  ({(ideal == 0 ? 0 : 100.0 * ceiling / ideal):F0}% of mosquitto_sub)"));
        }

        return 0;
    }

    /// <summary>
    /// Publishes QoS 1 messages on an open-model timetable (message i is due at i / <paramref name="rate"/> s) over
    /// <see cref="PublisherConnections"/> MQTT 3.1.1 connections of the simulator's transport (writes coalesced, one
    /// socket write per batch), each with up to <see cref="PublisherWindow"/> publishes awaiting PUBACK. One MQTTnet
    /// client publishing one message at a time capped near 9,500 msg/s here, below what the consumers take.
    /// </summary>
    private static async Task<(int Published, double Achieved)> PublishAsync(MosquittoServer server, string topic, int rate, int seconds)
    {
        var transport = new MqttTransport(new TransportOptions { Host = server.Host, Port = server.Port, Qos = 1, MqttVersion = 311, ClientIdPrefix = "bench-pub" });
        var connections = new ITransportConnection[PublisherConnections];
        var windows = new SemaphoreSlim[PublisherConnections];
        for (var c = 0; c < connections.Length; c++)
        {
            connections[c] = await transport.ConnectAsync($"{Guid.NewGuid():N}-{c}");
            windows[c] = new SemaphoreSlim(PublisherWindow, PublisherWindow);
        }

        var total = rate * seconds;
        var failed = 0;
        var pending = new List<Task>(total);
        var clock = Stopwatch.StartNew();
        for (var seq = 0; seq < total; seq++)
        {
            var due = TimeSpan.FromSeconds((double)seq / rate);
            var early = due - clock.Elapsed;
            if (early > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(early);
            }

            var c = seq % connections.Length;
            await windows[c].WaitAsync();
            var payload = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"deviceId\":\"d{seq % 100}\",\"seq\":{seq},\"temperature\":{20 + (seq % 10)}}}"));
            pending.Add(PublishOneAsync(connections[c], windows[c], payload));
        }

        await Task.WhenAll(pending);
        var achieved = total / clock.Elapsed.TotalSeconds;
        foreach (var connection in connections)
        {
            await connection.CloseAsync(graceful: true);
        }

        foreach (var window in windows)
        {
            window.Dispose();
        }

        if (failed > 0)
        {
            throw new InvalidOperationException($"{failed} publishes were not acknowledged by the broker; the step is void.");
        }

        return (total, achieved);

        async Task PublishOneAsync(ITransportConnection connection, SemaphoreSlim window, byte[] payload)
        {
            try
            {
                if (!await connection.PublishAsync(topic, string.Empty, payload))
                {
                    Interlocked.Increment(ref failed);
                }
            }
            finally
            {
                window.Release();
            }
        }
    }

    private static async Task<Consumer> MosquittoSubConsumer(MosquittoServer server, string topic)
    {
        var start = new ProcessStartInfo("mosquitto_sub", ["-h", server.Host, "-p", server.Port.ToString(CultureInfo.InvariantCulture), "-t", topic, "-q", "1", "-i", $"bench-sub-{Guid.NewGuid():N}"])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto_sub did not start (apt-get install mosquitto-clients)");
        var counter = new Counter();
        var reader = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
                counter.Increment();
            }
        });
        await WaitSubscribedAsync(server, topic, counter);
        return new Consumer(counter, () =>
        {
            process.Kill();
            process.WaitForExit();
            process.Dispose();
            return reader;
        });
    }

    private static async Task<Consumer> SourceConsumer(MosquittoServer server, string topic, int connections, IMaterializer materializer)
    {
        var builder = MqttSourceSettings.Builder()
            .WithName("mqtt:bench")
            .WithBroker(server.Host, server.Port)
            .WithClientId($"bench-src-{Guid.NewGuid():N}")
            .WithTopic(topic)
            .WithMaxInFlight(1000)
            .WithBufferSize(1000);
        if (connections > 1)
        {
            builder.WithSharedSubscription("bench", connections);
        }

        var counter = new Counter();
        var control = MqttSource.Create(builder.Build())
            .Select(Decode)
            .Select(e =>
            {
                counter.Increment();
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<Reading?>>())
            .Run(materializer);
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        await WaitSubscribedAsync(server, topic, counter);
        return new Consumer(counter, () => control.StopAsync());
    }

    /// <summary>A stand-in for the decode stage: parse the JSON and build a reading (same work per message).</summary>
    private static Envelope<Reading?> Decode(Envelope<RawMessage> envelope)
    {
        try
        {
            using var json = JsonDocument.Parse(envelope.Payload.Payload);
            var root = json.RootElement;
            var reading = new Reading(root.GetProperty("deviceId").GetString()!, "temperature", envelope.Payload.Context.ReceivedAtNs, root.GetProperty("temperature").GetDouble(), default);
            return new Envelope<Reading?>(reading, envelope.Ack);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new Envelope<Reading?>(null, envelope.Ack);
        }
    }

    /// <summary>Publishes probe messages until one arrives (the subscription is live), then resets the count.</summary>
    private static async Task WaitSubscribedAsync(MosquittoServer server, string topic, Counter counter)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(server.Host, server.Port).WithClientId($"bench-probe-{Guid.NewGuid():N}").Build());
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (counter.Value == 0 && DateTime.UtcNow < deadline)
        {
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload("{}").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await Task.Delay(100);
        }

        await Task.Delay(300);
        counter.Reset();
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);

        public void Reset() => Interlocked.Exchange(ref _value, 0);
    }

    private sealed class Consumer(Counter counter, Func<Task> stop) : IAsyncDisposable
    {
        /// <summary>Waits until everything arrived or nothing new arrived for 3 s; returns the count.</summary>
        public async Task<long> WaitQuietAsync(long expected)
        {
            var last = -1L;
            var quietSince = DateTime.UtcNow;
            while (counter.Value < expected)
            {
                var now = counter.Value;
                if (now != last)
                {
                    last = now;
                    quietSince = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - quietSince > TimeSpan.FromSeconds(3))
                {
                    break;
                }

                await Task.Delay(50);
            }

            return counter.Value;
        }

        public async ValueTask DisposeAsync() => await stop();
    }
}
