using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Servers;
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
}
