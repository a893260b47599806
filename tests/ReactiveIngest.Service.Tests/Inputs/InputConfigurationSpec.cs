using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Inputs.Kafka;
using ReactiveIngest.Service.Inputs.Mqtt;
using Xunit;

namespace ReactiveIngest.Service.Tests.Inputs;

public sealed class InputConfigurationSpec
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void An_mqtt_source_should_be_bound_with_a_default_name_from_its_index_unless_one_is_given()
    {
        var inputs = new InputConfiguration(Config(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", "a"),
            ("ReactiveIngest:Sources:Mqtt:0:Connection:Port", "1999"),
            ("ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter", "x/#"),
            ("ReactiveIngest:Sources:Mqtt:0:MaxInFlight", "77"),
            ("ReactiveIngest:Sources:Mqtt:1:Name", "mqtt:plant"),
            ("ReactiveIngest:Sources:Mqtt:1:Connection:ClientId", "b"),
            ("ReactiveIngest:Sources:Mqtt:1:Subscriptions:0:Filter", "y/#")));
        var mqtt = MqttInputs.Load(inputs);
        Assert.Empty(inputs.Problems);
        Assert.Equal(["mqtt:0", "mqtt:plant"], mqtt.Select(m => m.Settings.Name));
        var first = mqtt[0].Settings;
        Assert.Equal((1999, 77, "x/#"), (first.Connection.Port, first.MaxInFlight, first.Subscriptions.Single().Filter));
    }

    [Fact]
    public void Invalid_sources_should_fail_naming_each_key()
    {
        var inputs = new InputConfiguration(Config(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", "a"),
            ("ReactiveIngest:Sources:Mqtt:0:Codec", "xml"),
            ("ReactiveIngest:Sources:Kafka:0:Topics:0", "t"),
            ("ReactiveIngest:Sources:Kafka:1:BootstrapServers", "127.0.0.1:1"),
            ("ReactiveIngest:Sources:Kafka:1:GroupId", "g"),
            ("ReactiveIngest:Sources:Kafka:1:Topics:0", "t"),
            ("ReactiveIngest:Sources:Kafka:1:SourceName", "mqtt:0")));
        MqttInputs.Load(inputs);
        KafkaInputs.Load(inputs);
        var error = Assert.Throws<OptionsValidationException>(inputs.ThrowIfInvalid);
        Assert.Contains(error.Failures, f => f.Contains("ReactiveIngest:Sources:Mqtt:0:Codec", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ReactiveIngest:Sources:Kafka:0:BootstrapServers", StringComparison.Ordinal));
        Assert.Contains("ReactiveIngest:Sources:Kafka:1:SourceName 'mqtt:0' is used by another source.", error.Failures);
    }
}
