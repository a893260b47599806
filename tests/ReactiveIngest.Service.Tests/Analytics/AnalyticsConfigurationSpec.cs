using ReactiveIngest.TestSupport.Journal;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Analytics;
using Xunit;

namespace ReactiveIngest.Service.Tests.Analytics;

public sealed class AnalyticsConfigurationSpec
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static List<string> TransformErrors(params (string Key, string Value)[] values) =>
        [.. Assert.Throws<OptionsValidationException>(() => TransformCatalog.Load(Config(values))).Failures];

    private static List<string> AlertErrors(params (string Key, string Value)[] values) =>
        [.. Assert.Throws<OptionsValidationException>(() => AlertCatalog.Load(Config(values))).Failures];

    private static void AssertNamed(List<string> errors, string key, string text) =>
        Assert.True(errors.Any(e => e.StartsWith(key, StringComparison.Ordinal) && e.Contains(text, StringComparison.Ordinal)),
            $"no error naming {key} with '{text}' in:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");

    [Fact]
    public void A_valid_transform_configuration_should_load_with_parsed_types()
    {
        var catalog = TransformCatalog.Load(Config(
            ("ReactiveIngest:Transforms:0:Metric", "temperature"),
            ("ReactiveIngest:Transforms:0:Type", "ewma"),
            ("ReactiveIngest:Transforms:0:TimeConstant", "00:00:30"),
            ("ReactiveIngest:Transforms:0:Output", "temperature_ewma"),
            ("ReactiveIngest:Transforms:1:Metric", "humidity"),
            ("ReactiveIngest:Transforms:1:Type", "Deadband"),
            ("ReactiveIngest:Transforms:1:Threshold", "0.5"),
            ("ReactiveIngest:Transforms:1:Output", "humidity_db"),
            ("ReactiveIngest:Transforms:1:Devices:0", "d7")));
        Assert.Equal([TransformType.Ewma, TransformType.Deadband], catalog.Transforms.Select(t => t.Type));
        Assert.Equal(["d7"], catalog.Transforms[1].Definition.Devices);
    }

    [Fact]
    public void Transform_errors_should_name_the_key_to_fix()
    {
        var errors = TransformErrors(
            ("ReactiveIngest:Transforms:0:Metric", "temperature"),
            ("ReactiveIngest:Transforms:0:Type", "Median"),
            ("ReactiveIngest:Transforms:0:Output", "t_median"),
            ("ReactiveIngest:Transforms:1:Metric", "temperature"),
            ("ReactiveIngest:Transforms:1:Type", "Ewma"),
            ("ReactiveIngest:Transforms:1:Output", "temperature_ewma"),
            ("ReactiveIngest:Transforms:2:Metric", "temperature"),
            ("ReactiveIngest:Transforms:2:Type", "MovingAverage"),
            ("ReactiveIngest:Transforms:2:Count", "0"),
            ("ReactiveIngest:Transforms:2:Threshold", "1"),
            ("ReactiveIngest:Transforms:2:Output", "temperature"),
            ("ReactiveIngest:Transforms:3:Metric", "pressure"),
            ("ReactiveIngest:Transforms:3:Type", "Deadband"),
            ("ReactiveIngest:Transforms:3:Threshold", "lots"),
            ("ReactiveIngest:Transforms:4:Metric", "pressure"),
            ("ReactiveIngest:Transforms:4:Type", "RateOfChange"),
            ("ReactiveIngest:Transforms:4:Output", "temperature_ewma"),
            ("ReactiveIngest:Transforms:4:MaxDevices", "0"));
        AssertNamed(errors, "ReactiveIngest:Transforms:0:Type", "'Median' is not a transform type");
        AssertNamed(errors, "ReactiveIngest:Transforms:1:TimeConstant", "is required for Ewma");
        AssertNamed(errors, "ReactiveIngest:Transforms:2:Count", "between 1 and");
        AssertNamed(errors, "ReactiveIngest:Transforms:2:Threshold", "does not apply to MovingAverage");
        AssertNamed(errors, "ReactiveIngest:Transforms:2:Output", "must differ");
        AssertNamed(errors, "ReactiveIngest:Transforms:3", "Threshold");
        AssertNamed(errors, "ReactiveIngest:Transforms:4:MaxDevices", "between 1 and");
    }

    [Fact]
    public void Two_transforms_writing_one_output_or_a_transform_reading_a_derived_metric_should_be_refused()
    {
        var errors = TransformErrors(
            ("ReactiveIngest:Transforms:0:Metric", "temperature"),
            ("ReactiveIngest:Transforms:0:Type", "RateOfChange"),
            ("ReactiveIngest:Transforms:0:Output", "temperature_x"),
            ("ReactiveIngest:Transforms:1:Metric", "humidity"),
            ("ReactiveIngest:Transforms:1:Type", "RateOfChange"),
            ("ReactiveIngest:Transforms:1:Output", "temperature_x"),
            ("ReactiveIngest:Transforms:2:Metric", "temperature_x"),
            ("ReactiveIngest:Transforms:2:Type", "RateOfChange"),
            ("ReactiveIngest:Transforms:2:Output", "temperature_xx"));
        AssertNamed(errors, "ReactiveIngest:Transforms:1:Output", "already produced by ReactiveIngest:Transforms:0");
        AssertNamed(errors, "ReactiveIngest:Transforms:2:Metric", "chaining is not supported");
    }

    [Fact]
    public void Alert_target_errors_should_name_the_key_to_fix()
    {
        var errors = AlertErrors(
            ("ReactiveIngest:Alerts:Targets:0:Name", "m"),
            ("ReactiveIngest:Alerts:Targets:0:Type", "Mqtt"),
            ("ReactiveIngest:Alerts:Targets:0:Topic", "alerts/+/hot"),
            ("ReactiveIngest:Alerts:Targets:0:Qos", "0"),
            ("ReactiveIngest:Alerts:Targets:0:Connection:Port", "70000"),
            ("ReactiveIngest:Alerts:Targets:1:Name", "k"),
            ("ReactiveIngest:Alerts:Targets:1:Type", "Kafka"),
            ("ReactiveIngest:Alerts:Targets:1:Topic", "alerts topic"),
            ("ReactiveIngest:Alerts:Targets:1:BootstrapServers", "127.0.0.1:9092"),
            ("ReactiveIngest:Alerts:Targets:1:Properties:acks", "1"),
            ("ReactiveIngest:Alerts:Targets:2:Name", "k2"),
            ("ReactiveIngest:Alerts:Targets:2:Type", "Kafka"),
            ("ReactiveIngest:Alerts:Targets:2:Topic", "alerts"),
            ("ReactiveIngest:Alerts:Targets:3:Name", "m"),
            ("ReactiveIngest:Alerts:Targets:3:Type", "Amqp"));
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:0:Topic", "wildcards");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:0:Qos", "must be 1 or 2");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:0:Connection:Port", "between 1 and 65535");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:1:Topic", "not a Kafka topic name");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:1:Properties[acks]", "must be all");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:2:BootstrapServers", "is required");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:3:Name", "used by another target");
        AssertNamed(errors, "ReactiveIngest:Alerts:Targets:3:Type", "'Amqp' is not a target type");
    }

    [Fact]
    public void Alert_rule_errors_should_name_the_key_to_fix()
    {
        var errors = AlertErrors(
            ("ReactiveIngest:Alerts:Targets:0:Name", "m"),
            ("ReactiveIngest:Alerts:Targets:0:Type", "Mqtt"),
            ("ReactiveIngest:Alerts:Targets:0:Topic", "alerts/all"),
            ("ReactiveIngest:Alerts:Targets:1:Name", "k"),
            ("ReactiveIngest:Alerts:Targets:1:Type", "Kafka"),
            ("ReactiveIngest:Alerts:Targets:1:Topic", "alerts"),
            ("ReactiveIngest:Alerts:Targets:1:BootstrapServers", "127.0.0.1:9092"),
            ("ReactiveIngest:Alerts:Rules:0:Name", "hot"),
            ("ReactiveIngest:Alerts:Rules:0:Type", "Threshold"),
            ("ReactiveIngest:Alerts:Rules:0:Metric", "temperature"),
            ("ReactiveIngest:Alerts:Rules:0:High", "80"),
            ("ReactiveIngest:Alerts:Rules:0:Clear", "85"),
            ("ReactiveIngest:Alerts:Rules:0:Target", "m"),
            ("ReactiveIngest:Alerts:Rules:1:Name", "both"),
            ("ReactiveIngest:Alerts:Rules:1:Type", "Threshold"),
            ("ReactiveIngest:Alerts:Rules:1:Metric", "temperature"),
            ("ReactiveIngest:Alerts:Rules:1:High", "80"),
            ("ReactiveIngest:Alerts:Rules:1:Low", "10"),
            ("ReactiveIngest:Alerts:Rules:1:Target", "nowhere"),
            ("ReactiveIngest:Alerts:Rules:2:Name", "stuck"),
            ("ReactiveIngest:Alerts:Rules:2:Type", "StuckSensor"),
            ("ReactiveIngest:Alerts:Rules:2:Metric", "pressure"),
            ("ReactiveIngest:Alerts:Rules:2:Clear", "1"),
            ("ReactiveIngest:Alerts:Rules:3:Name", "hot"),
            ("ReactiveIngest:Alerts:Rules:3:Type", "Spike"),
            ("ReactiveIngest:Alerts:Rules:3:Metric", "x"),
            ("ReactiveIngest:Alerts:Rules:3:Target", "k"),
            ("ReactiveIngest:Alerts:Rules:4:Name", "topic"),
            ("ReactiveIngest:Alerts:Rules:4:Type", "StuckSensor"),
            ("ReactiveIngest:Alerts:Rules:4:Repeats", "5"),
            ("ReactiveIngest:Alerts:Rules:4:Metric", "x"),
            ("ReactiveIngest:Alerts:Rules:4:Target", "k"),
            ("ReactiveIngest:Alerts:Rules:4:Topic", "a/b"));
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:0:Clear", "must not exceed ReactiveIngest:Alerts:Rules:0:High");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:1:High", "exactly one");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:1:Clear", "is required");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:1:Target", "'nowhere' is not a configured target");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:2:Repeats", "is required");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:2:Clear", "does not apply");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:2:Target", "several targets");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:3:Name", "used by another rule");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:3:Type", "'Spike' is not a rule type");
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:4:Topic", "not a Kafka topic name");
    }

    [Fact]
    public void A_rule_without_any_target_should_say_which_section_to_add()
    {
        var errors = AlertErrors(
            ("ReactiveIngest:Alerts:Rules:0:Name", "hot"),
            ("ReactiveIngest:Alerts:Rules:0:Type", "Threshold"),
            ("ReactiveIngest:Alerts:Rules:0:Metric", "temperature"),
            ("ReactiveIngest:Alerts:Rules:0:High", "80"),
            ("ReactiveIngest:Alerts:Rules:0:Clear", "75"));
        AssertNamed(errors, "ReactiveIngest:Alerts:Rules:0:Target", "add ReactiveIngest:Alerts:Targets:0");
    }

    [Fact]
    public void A_single_target_should_serve_rules_that_name_none_and_default_its_client_id()
    {
        var catalog = AlertCatalog.Load(Config(
            ("ReactiveIngest:Alerts:Targets:0:Name", "ops"),
            ("ReactiveIngest:Alerts:Targets:0:Type", "mqtt"),
            ("ReactiveIngest:Alerts:Targets:0:Topic", "alerts/ops"),
            ("ReactiveIngest:Alerts:Targets:0:Connection:Host", "broker.local"),
            ("ReactiveIngest:Alerts:Rules:0:Name", "cold"),
            ("ReactiveIngest:Alerts:Rules:0:Type", "threshold"),
            ("ReactiveIngest:Alerts:Rules:0:Metric", "temperature"),
            ("ReactiveIngest:Alerts:Rules:0:Low", "-5"),
            ("ReactiveIngest:Alerts:Rules:0:Clear", "-2")));
        var rule = Assert.Single(catalog.Rules);
        Assert.Equal((0, "alerts/ops"), (rule.Target, rule.Topic));
        Assert.Equal("reactiveingest-alerts-ops", catalog.Targets[0].Mqtt!.Connection.ClientId);
        Assert.Equal("broker.local", catalog.Targets[0].Mqtt!.Connection.Host);
    }

    [Fact]
    public void The_host_should_fail_at_start_naming_the_transform_and_alert_keys_together()
    {
        using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:Transforms:0:Metric", "temperature");
            b.UseSetting("ReactiveIngest:Transforms:0:Type", "Kalman");
            b.UseSetting("ReactiveIngest:Transforms:0:Output", "temperature_k");
            b.UseSetting("ReactiveIngest:Alerts:Targets:0:Name", "ops");
            b.UseSetting("ReactiveIngest:Alerts:Targets:0:Type", "Mqtt");
            b.UseSetting("ReactiveIngest:Alerts:Targets:0:Topic", "alerts/#");
        });
        var error = Assert.Throws<OptionsValidationException>(() => host.CreateClient());
        Assert.Contains("ReactiveIngest:Transforms:0:Type", error.Message, StringComparison.Ordinal);
        Assert.Contains("ReactiveIngest:Alerts:Targets:0:Topic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sample_configuration_should_load_without_errors()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "analytics.sample.json");
        var configuration = new ConfigurationBuilder().AddJsonFile(path).Build();
        var transforms = TransformCatalog.Load(configuration);
        var alerts = AlertCatalog.Load(configuration);
        Assert.NotEmpty(transforms.Transforms);
        Assert.Contains(alerts.Targets, t => t.Type == AlertTargetType.Mqtt);
        Assert.Contains(alerts.Targets, t => t.Type == AlertTargetType.Kafka);
        Assert.Contains(alerts.Rules, r => r.Type == AlertRuleType.Threshold);
        Assert.Contains(alerts.Rules, r => r.Type == AlertRuleType.StuckSensor);
    }
}
