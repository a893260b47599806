using ReactiveIngest.Simulator.Servers;
using MQTTnet.Protocol;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>Source settings for a test broker with fast reconnects.</summary>
internal static class TestSettings
{
    public static MqttSourceSettingsBuilder For(MosquittoServer server, string topic, string? clientId = null, MqttQualityOfServiceLevel qos = MqttQualityOfServiceLevel.AtLeastOnce) =>
        MqttSourceSettings.Builder()
            .WithName("mqtt:test")
            .WithBroker(server.Host, server.Port)
            .WithClientId(clientId ?? $"test-src-{Guid.NewGuid():N}")
            .WithTopic(topic, qos)
            .WithReconnectBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    public static string NewTopic() => $"test/{Guid.NewGuid():N}";
}
