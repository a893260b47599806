using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.Simulator.Transport;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.LoadTest;

public sealed class StackOptionsSpec
{
    [Fact]
    public void The_reported_broker_limits_should_follow_the_configuration_the_broker_is_started_with()
    {
        var raised = new StackOptions();
        var defaults = new StackOptions { BrokerDefaults = true };
        var external = new StackOptions { ExternalBroker = true, BrokerDefaults = true };

        Assert.Same(MosquittoServer.LoadTestConfiguration, raised.BrokerConfiguration);
        Assert.Equal("raised (max_queued_messages 100000, max_inflight_messages 0)", raised.BrokerLimits);
        Assert.Same(MosquittoServer.DefaultLimitsConfiguration, defaults.BrokerConfiguration);
        Assert.Equal("mosquitto defaults (max_queued_messages 1000, max_inflight_messages 20)", defaults.BrokerLimits);
        Assert.Equal("external broker", external.BrokerLimits);
    }

    [Fact]
    public void The_report_should_say_default_service_settings_only_when_nothing_is_overridden()
    {
        var defaults = new StackOptions { ServiceDefaults = true };
        var defaultsWithOne = new StackOptions { ServiceDefaults = true };
        defaultsWithOne.ServiceSettings["ReactiveIngest:Pipeline:Windows:0:Size"] = "01:00:00";
        var raised = new StackOptions();

        Assert.Equal("default service settings", defaults.ServiceSettingsSummary(TransportKind.Mqtt));
        Assert.Equal("overridden: ReactiveIngest:Pipeline:Windows:0:Size=01:00:00", defaultsWithOne.ServiceSettingsSummary(TransportKind.Mqtt));
        Assert.Equal(
            "overridden: ReactiveIngest:Influx:FlushInterval=00:00:00.200, ReactiveIngest:Pipeline:IdleTimeout=00:00:03, ReactiveIngest:Sources:Mqtt:0:MaxInFlight=65535",
            raised.ServiceSettingsSummary(TransportKind.Mqtt));
        Assert.DoesNotContain("MaxInFlight", raised.ServiceSettingsSummary(TransportKind.Kafka), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10, "10s")]
    [InlineData(90, "90s")]
    [InlineData(300, "5m")]
    [InlineData(3600, "1h")]
    public void The_window_name_should_follow_its_size(int seconds, string name)
    {
        Assert.Equal(name, new StackOptions { WindowSize = TimeSpan.FromSeconds(seconds) }.WindowName);
    }

    [Fact]
    public void Invalid_fault_and_window_options_should_each_be_reported_naming_the_option()
    {
        var options = new StackOptions
        {
            WindowSize = TimeSpan.FromSeconds(15),
            KillService = -1,
            InfluxOutage = TimeSpan.FromSeconds(10),
            InfluxUrl = new Uri("http://127.0.0.1:8086/"),
        };

        var problems = options.Validate();

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("--window-size", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--kill-service", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("--influx-outage", StringComparison.Ordinal));
        Assert.Empty(new StackOptions().Validate());
    }

    [Fact]
    public void The_drain_should_wait_longer_for_a_quiet_pipeline_on_default_service_settings_unless_told_otherwise()
    {
        Assert.Equal(TimeSpan.FromSeconds(45), new StackOptions().DrainQuiet);
        Assert.Equal(TimeSpan.FromSeconds(90), new StackOptions { ServiceDefaults = true }.DrainQuiet);
        Assert.Equal(TimeSpan.FromSeconds(20), new StackOptions { ServiceDefaults = true, DrainQuiet = TimeSpan.FromSeconds(20) }.DrainQuiet);
    }
}
