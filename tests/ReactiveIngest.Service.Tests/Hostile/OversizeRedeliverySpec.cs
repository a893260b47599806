using System.Globalization;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.TestSupport.Journal;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Service.Tests.Hostile;

/// <summary>
/// A 16 MB message waiting in the service's persistent MQTT session while it is down: after the restart it is
/// dead-lettered as TooLarge and acknowledged, the graph keeps running, and the next restart does not see it again
/// (before the edge limit it stopped the graph, and the broker handed it back after every restart).
/// </summary>
public sealed class OversizeRedeliverySpec(MosquittoFixture mosquitto, ITestOutputHelper output) : IClassFixture<MosquittoFixture>
{
    [Fact]
    public async Task An_oversize_message_kept_in_the_persistent_session_should_be_dead_lettered_once_and_not_stop_the_graph()
    {
        using var brokerLog = mosquitto.Server.Log.CaptureTo(output, "mosquitto");
        var run = Guid.NewGuid().ToString("N")[..8];
        var journal = TestJournalDirectory.New();
        WebApplicationFactory<Program> Start() => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, journal);
            b.UseSetting("ReactiveIngest:Sources:Mqtt:0:Name", "mqtt:oversize");
            b.UseSetting("ReactiveIngest:Sources:Mqtt:0:Connection:Host", mosquitto.Server.Host);
            b.UseSetting("ReactiveIngest:Sources:Mqtt:0:Connection:Port", mosquitto.Server.Port.ToString(CultureInfo.InvariantCulture));
            b.UseSetting("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", $"oversize-{run}");
            b.UseSetting("ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter", $"oversize/{run}/+");
            b.UseSetting("ReactiveIngest:Sources:Http:Enabled", "false");
        });

        // First life: the session is created on the broker, then the service goes away.
        await using (var first = Start())
        {
            using var client = first.CreateClient();
            await first.Services.GetRequiredService<RunningInputs>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
        }

        // While it is down the broker queues a 16 MB message and a valid one for its session.
        using (var publisher = new MqttClientFactory().CreateMqttClient())
        {
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"oversize-pub-{run}").Build());
            foreach (var payload in new[] { Enumerable.Repeat((byte)'[', 16 * 1024 * 1024).ToArray(), Valid(run, 1) })
            {
                var result = await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"oversize/{run}/d1").WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
                Assert.True(result.IsSuccess, result.ReasonString);
            }

            await publisher.DisconnectAsync();
        }

        // Second life: the oversize message arrives, costs one dead letter, and the valid one behind it is stored.
        await using (var second = Start())
        {
            using var client = second.CreateClient();
            var status = second.Services.GetRequiredService<PipelineStatus>();
            var deadLetters = second.Services.GetRequiredService<DeadLetterLog>();
            await WaitUntilAsync(() => status.MessagesStored >= 1 && deadLetters.Total >= 1, () => $"stored {status.MessagesStored}, dead letters {deadLetters.Total}");
            var letter = Assert.Single(deadLetters.Recent(10));
            Assert.Equal(RejectReason.TooLarge, letter.Reason);
            Assert.Contains("16777", letter.Detail, StringComparison.Ordinal);
            Assert.Equal(1024, letter.Payload.Length);
            var graph = second.Services.GetRequiredService<GraphState>();
            Assert.Equal((true, 0L), (graph.IsRunning, graph.Restarts));
            Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        }

        // Third life: it was acknowledged, so the broker does not hand it back; a probe shows the session is drained.
        await using (var third = Start())
        {
            using var client = third.CreateClient();
            var status = third.Services.GetRequiredService<PipelineStatus>();
            await third.Services.GetRequiredService<RunningInputs>().Ready.WaitAsync(TimeSpan.FromSeconds(60));
            using var publisher = new MqttClientFactory().CreateMqttClient();
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(mosquitto.Server.Host, mosquitto.Server.Port).WithClientId($"oversize-probe-{run}").Build());
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"oversize/{run}/d1").WithPayload(Valid(run, 2))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await WaitUntilAsync(() => status.MessagesStored >= 1, () => $"the probe (stored {status.MessagesStored})");
            // What the journal replays of the second life (the valid reading, its window still open) is not a dead letter.
            Assert.Equal(0, third.Services.GetRequiredService<DeadLetterLog>().Total);
        }
    }

    private static byte[] Valid(string run, int seq) =>
        System.Text.Encoding.UTF8.GetBytes($"{{\"deviceId\":\"d-{run}\",\"ts\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + seq},\"temperature\":{seq}}}");

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting: {describe()}");
            await Task.Delay(100);
        }
    }
}
