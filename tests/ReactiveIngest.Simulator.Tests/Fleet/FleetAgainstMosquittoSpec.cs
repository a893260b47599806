using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Payloads;
using ReactiveIngest.Simulator.Rate;
using ReactiveIngest.Simulator.Transport;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Simulator.Tests.Fleet;

/// <summary>
/// A short real run through Mosquitto: a subscriber must receive every QoS 1 message the fleet had accepted.
/// The broker's per-client queue is unlimited: with the default (1,000) Mosquitto drops QoS 1 messages for a
/// subscriber that falls behind on a loaded machine ("Outgoing messages are being dropped"), which is the
/// broker's documented behaviour, not the fleet's.
/// </summary>
public sealed class FleetAgainstMosquittoSpec(FleetAgainstMosquittoSpec.UnboundedQueueBroker broker, ITestOutputHelper output)
    : IClassFixture<FleetAgainstMosquittoSpec.UnboundedQueueBroker>
{
    /// <summary>Mosquitto with no per-client queue limit.</summary>
    public sealed class UnboundedQueueBroker() : MosquittoFixture(["max_queued_messages 0", "max_queued_bytes 0"]);

    [Theory]
    [InlineData(PayloadFormat.Json, 8)]
    [InlineData(PayloadFormat.LineProtocol, 0)]
    public async Task Subscriber_should_receive_every_qos1_message_and_rebuild_the_ground_truth_aggregates(PayloadFormat format, int connections)
    {
        using var log = broker.Server.Log.CaptureTo(output, "mosquitto");
        var transport = new TransportOptions { Host = broker.Server.Host, Port = broker.Server.Port, Qos = 1 };
        var fleet = new FleetOptions { Devices = 200, Connections = connections, Seed = 5, Format = format, ConnectRatePerSec = 1000 };
        var rate = new RateOptions { IntervalMs = 250 };
        var faults = new FaultOptions
        {
            MalformedRatio = 0.02, DuplicateRatio = 0.03, OutOfOrderRatio = 0.03, LateRatio = 0.02, LateByMs = 1000,
            SpikeRatio = 0.01, StuckRatio = 0.2, ClockSkewRatio = 0.2,
        };
        await using var subscriber = new DeliverySubscriber(transport.Host, transport.Port, 1, format == PayloadFormat.LineProtocol);
        await subscriber.StartAsync();

        var result = await new FleetRunner(fleet, rate, faults, new MqttTransport(transport)).RunAsync(TimeSpan.FromSeconds(4));
        await subscriber.WaitForAsync(result.GroundTruth.Published, quiet: TimeSpan.FromSeconds(30), timeout: TimeSpan.FromMinutes(2));
        var verdict = subscriber.Verify(result.GroundTruth);
        output.WriteLine($"accepted {result.Stats.Accepted}, received {verdict.Received}, windows {verdict.AggregatesChecked}, injections {string.Join(", ", result.GroundTruth.InjectionCounts)}");

        Assert.Equal(0, result.Stats.Failed);
        Assert.Equal(result.Stats.Attempted, result.Stats.Accepted);
        Assert.Equal(result.Stats.Accepted, result.GroundTruth.Published);
        Assert.True(result.GroundTruth.Published > 2000, $"only {result.GroundTruth.Published} messages were sent");
        Assert.Equal(0, verdict.Lost);
        Assert.Equal(0, verdict.Duplicates);
        Assert.False(verdict.Incomplete);
        Assert.True(verdict.AggregatesChecked > 500);
        Assert.Equal(0, verdict.AggregateMismatches);
        Assert.Equal(result.GroundTruth.InjectionCounts["Malformed"], verdict.Malformed);
        Assert.True(result.GroundTruth.InjectionCounts["Duplicate"] > 0);
        Assert.True(result.GroundTruth.InjectionCounts["OutOfOrder"] > 0);
        Assert.True(result.GroundTruth.InjectionCounts["Late"] > 0);
        Assert.NotNull(result.Latency);
    }
}
