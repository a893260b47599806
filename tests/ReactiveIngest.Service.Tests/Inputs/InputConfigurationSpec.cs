using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Sources;
using Xunit;

namespace ReactiveIngest.Service.Tests.Sources;

public sealed class SourceCatalogSpec
{
    private static IConfiguration Config(params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build();

    [Fact]
    public void An_mqtt_source_should_be_bound_with_a_default_name_from_its_index_unless_one_is_given()
    {
        var catalog = SourceCatalog.Load(Config(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", "a"),
            ("ReactiveIngest:Sources:Mqtt:0:Connection:Port", "1999"),
            ("ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter", "x/#"),
            ("ReactiveIngest:Sources:Mqtt:0:MaxInFlight", "77"),
            ("ReactiveIngest:Sources:Mqtt:1:Name", "mqtt:plant"),
            ("ReactiveIngest:Sources:Mqtt:1:Connection:ClientId", "b"),
            ("ReactiveIngest:Sources:Mqtt:1:Subscriptions:0:Filter", "y/#")));
        Assert.Equal(["mqtt:0", "mqtt:plant"], catalog.Mqtt.Select(m => m.Settings.Name));
        var first = catalog.Mqtt[0].Settings;
        Assert.Equal((1999, 77, "x/#"), (first.Connection.Port, first.MaxInFlight, first.Subscriptions.Single().Filter));
    }

    [Fact]
    public void Invalid_sources_should_fail_naming_each_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => SourceCatalog.Load(Config(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:ClientId", "a"),
            ("ReactiveIngest:Sources:Mqtt:0:Codec", "xml"),
            ("ReactiveIngest:Sources:Kafka:0:Topics:0", "t"))));
        Assert.Contains(error.Failures, f => f.Contains("ReactiveIngest:Sources:Mqtt:0:Codec", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ReactiveIngest:Sources:Kafka:0:BootstrapServers", StringComparison.Ordinal));
    }
}
