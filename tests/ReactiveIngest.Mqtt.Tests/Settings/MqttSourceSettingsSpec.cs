using ReactiveIngest.Mqtt.Settings;
using Xunit;

namespace ReactiveIngest.Mqtt.Tests.Settings;

public sealed class MqttSourceSettingsSpec
{
    [Fact]
    public void Validator_should_name_every_bad_setting()
    {
        var settings = new MqttSourceSettings
        {
            Name = "",
            Connection = new MqttConnectionSettings
            {
                Host = "",
                Port = 0,
                ClientId = "",
                Password = "secret",
                ReconnectMinDelay = TimeSpan.FromSeconds(5),
                ReconnectMaxDelay = TimeSpan.FromSeconds(1),
                ReconnectJitter = 2,
                Tls = new MqttTlsSettings { CaFile = "/nonexistent/ca.pem" },
            },
            Subscriptions = [new MqttTopicSubscription { Filter = "a/#/b" }],
            ConnectionCount = 2,
            MaxInFlight = 0,
            ReceiveMaximum = 10,
            BufferSize = 0,
        };

        var errors = MqttSourceSettingsValidator.Validate(settings);

        string[] named =
        [
            "Name:", "Connection.Host:", "Connection.Port:", "Connection.ClientId:", "Connection.Username:",
            "Connection.ReconnectMaxDelay:", "Connection.ReconnectJitter:", "Connection.Tls.CaFile:",
            "Subscriptions[0].Filter:", "SharedSubscriptionGroup:", "MaxInFlight:", "ReceiveMaximum:", "BufferSize:",
        ];
        Assert.All(named, prefix => Assert.Contains(errors, e => e.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(named.Length, errors.Count);
    }

    [Fact]
    public void Builder_should_accept_valid_settings_and_wrap_filters_for_shared_subscriptions()
    {
        var settings = MqttSourceSettings.Builder()
            .WithBroker("127.0.0.1", 1883)
            .WithClientId("ingest")
            .WithTopic("devices/+/telemetry")
            .WithTopic("$share/other/alerts/#")
            .WithSharedSubscription("ingest", 4)
            .Build();

        Assert.Equal("$share/ingest/devices/+/telemetry", settings.EffectiveFilter(settings.Subscriptions[0]));
        Assert.Equal("$share/other/alerts/#", settings.EffectiveFilter(settings.Subscriptions[1]));
        Assert.Equal("ingest-3", settings.ClientIdFor(3));
    }

    [Fact]
    public void Build_should_throw_with_all_errors()
    {
        var error = Assert.Throws<MqttSettingsException>(() => MqttSourceSettings.Builder().WithBroker("", 70000).Build());
        Assert.Contains(error.Errors, e => e.StartsWith("Connection.Host:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Connection.Port:", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("Subscriptions:", StringComparison.Ordinal));
    }

    [Fact]
    public void Password_should_never_appear_in_the_settings_text()
    {
        var settings = MqttSourceSettings.Builder()
            .WithBroker("broker", 8883)
            .WithClientId("ingest")
            .WithCredentials("user", "s3cr3t-value")
            .WithTopic("t")
            .Build();

        Assert.DoesNotContain("s3cr3t-value", settings.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t-value", settings.Connection.ToString(), StringComparison.Ordinal);
        Assert.Contains("password=***", settings.ToString(), StringComparison.Ordinal);
    }
}
