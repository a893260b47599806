using ReactiveIngest.Simulator.StackFaults;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

public sealed class KillScheduleSpec
{
    [Fact]
    public void Kills_should_fall_in_the_middle_of_the_send_phase_in_order_and_at_least_half_a_slot_apart()
    {
        var send = TimeSpan.FromSeconds(30);
        var slot = send * 0.70 / 5;

        var kills = KillSchedule.Plan(5, send, seed: 42);

        Assert.Equal(5, kills.Count);
        Assert.All(kills, k => Assert.InRange(k, send * 0.15, send * 0.85));
        for (var i = 1; i < kills.Count; i++)
        {
            Assert.True(kills[i] - kills[i - 1] >= slot / 2, $"kill {i} is {kills[i] - kills[i - 1]} after the one before");
        }
    }

    [Fact]
    public void The_same_seed_should_give_the_same_moments_and_another_seed_other_ones()
    {
        var send = TimeSpan.FromSeconds(30);

        var first = KillSchedule.Plan(3, send, seed: 7);
        var again = KillSchedule.Plan(3, send, seed: 7);
        var other = KillSchedule.Plan(3, send, seed: 8);

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void No_kills_should_give_an_empty_plan()
    {
        Assert.Empty(KillSchedule.Plan(0, TimeSpan.FromSeconds(30), seed: 1));
    }
}
