using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using ReactiveIngest.Service.Configuration;
using Xunit;

namespace ReactiveIngest.Service.Tests.Configuration;

/// <summary>Unknown keys and values that do not convert fail start-up, one line per key, instead of being ignored.</summary>
public sealed class ConfigurationCheckerSpec
{
    private static IReadOnlyList<string> Problems(params (string Key, string? Value)[] settings) =>
        ConfigurationChecker.Problems(new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build());

    [Fact]
    public void An_unknown_key_should_be_named_with_the_nearest_valid_key()
    {
        var problem = Assert.Single(Problems(("ReactiveIngest:Pipeline:AllowedLatenes", "1m")));
        Assert.Equal("ReactiveIngest:Pipeline:AllowedLatenes: not a configuration key; did you mean ReactiveIngest:Pipeline:AllowedLateness?", problem);
    }

    [Fact]
    public void A_FILE_variable_of_a_valid_key_should_be_accepted_and_one_of_an_unknown_key_reported()
    {
        Assert.Empty(Problems(("ReactiveIngest:Influx:Token_FILE", "/run/secrets/influx_token")));
        var problem = Assert.Single(Problems(("ReactiveIngest:Influx:Tokn_FILE", "/run/secrets/influx_token")));
        Assert.StartsWith("ReactiveIngest:Influx:Tokn_FILE: not a configuration key", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ReactiveIngest:Pipeline:Windows:1:Sise", "ReactiveIngest:Pipeline:Windows:1:Size")]
    [InlineData("ReactiveIngest:Sources:Mqtt:0:Conection:Host", "ReactiveIngest:Sources:Mqtt:0:Connection:Host")]
    [InlineData("ReactiveIngest:Influx:Databse", "ReactiveIngest:Influx:Database")]
    public void The_suggestion_should_keep_the_list_index_of_the_key(string typo, string suggestion)
    {
        var problem = Assert.Single(Problems((typo, "x")));
        Assert.EndsWith($"did you mean {suggestion}?", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_item_that_does_not_convert_should_be_reported_not_dropped()
    {
        var problems = Problems(
            ("ReactiveIngest:Pipeline:Windows:0:Name", "ok"),
            ("ReactiveIngest:Pipeline:Windows:0:Size", "1m"),
            ("ReactiveIngest:Pipeline:Windows:1:Name", "bad"),
            ("ReactiveIngest:Pipeline:Windows:1:Size", "1x"));
        Assert.Equal(["ReactiveIngest:Pipeline:Windows:1:Size: '1x' is not a duration (examples: 10s, 1m, 1h, 00:01:00)"], problems);
    }

    [Fact]
    public void Every_problem_should_be_reported_at_once_in_key_order()
    {
        var problems = Problems(
            ("ReactiveIngest:Sources:Mqtt:0:Connection:Port", "eighty"),
            ("ReactiveIngest:Http:QueueCapacity", "1"),
            ("ReactiveIngest:Pipeline:OpenWindowsOnShutdown", "Drop"),
            ("ReactiveIngest:Demo:Enabled", "yes"));
        Assert.Equal(4, problems.Count);
        Assert.StartsWith("ReactiveIngest:Demo:Enabled: 'yes' is not true or false", problems[0], StringComparison.Ordinal);
        Assert.StartsWith("ReactiveIngest:Http:QueueCapacity: not a configuration key", problems[1], StringComparison.Ordinal);
        Assert.Equal("ReactiveIngest:Pipeline:OpenWindowsOnShutdown: 'Drop' is not one of Redeliver, Flush, Provisional", problems[2]);
        Assert.StartsWith("ReactiveIngest:Sources:Mqtt:0:Connection:Port: 'eighty' is not a whole number", problems[3], StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_below_free_form_maps_and_keys_outside_the_service_should_be_accepted()
    {
        Assert.Empty(Problems(
            ("ReactiveIngest:Sources:Kafka:0:Properties:sasl.mechanism", "PLAIN"),
            ("ReactiveIngest:Sources:Kafka:0:Properties:ssl:endpoint", "none"),
            ("ReactiveIngest:Sources:Mqtt:2:Json:Tags:site", "a"),
            ("reactiveingest:pipeline:windows:0:size", "00:00:10"),
            ("ReactiveIngest:Pipeline:Windows:0:Slide", ""),
            ("ReactiveIngest:Pipeline:Windows", ""),
            ("ReactiveIngest:Pipeline", null),
            ("Logging:LogLevel:Default", "Warning"),
            ("Anything:Else", "1x")));
    }

    [Fact]
    public void A_host_with_an_unknown_key_should_fail_at_start_naming_it()
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("ReactiveIngest:Pipeline:AllowedLatenes", "1m"));
        var error = Assert.Throws<InvalidConfigurationException>(() => host.CreateClient());
        Assert.Equal(["ReactiveIngest:Pipeline:AllowedLatenes: not a configuration key; did you mean ReactiveIngest:Pipeline:AllowedLateness?"], error.Problems);
    }
}
