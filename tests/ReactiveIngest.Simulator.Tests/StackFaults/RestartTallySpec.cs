using ReactiveIngest.Simulator.StackFaults;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

public sealed class RestartTallySpec
{
    [Fact]
    public void The_total_should_add_the_last_count_of_every_incarnation()
    {
        var tally = new RestartTally();
        tally.Observe(3);
        tally.Observe(5);
        tally.Restarted();
        tally.Observe(2);
        tally.Restarted();
        tally.Restarted();
        tally.Observe(4);

        Assert.Equal(5 + 2 + 4, tally.Total);
    }
}
