using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Reports;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.LoadTest;

public sealed class CeilingVerdictSpec
{
    [Fact]
    public void A_step_should_pass_only_when_nothing_was_lost_and_the_target_was_held()
    {
        Assert.True(CeilingStep.Judge("stack", 10_000, 9_500, 57_000, 0, 0, 0).Passed);

        var slow = CeilingStep.Judge("stack", 10_000, 8_000, 48_000, 0, 0, 0);
        Assert.False(slow.Passed);
        Assert.True(slow.Lossless);

        Assert.False(CeilingStep.Judge("stack", 10_000, 9_900, 59_400, 0, 1, 0).Lossless);
        Assert.False(CeilingStep.Judge("stack", 10_000, 9_900, 59_400, 0, 0, 2).Lossless);
        Assert.False(CeilingStep.Judge("mosquitto_sub", 10_000, 9_900, 59_400, 3, 0, null).Lossless);
        Assert.True(CeilingStep.Judge("mosquitto_sub", 10_000, 9_900, 59_400, 0, 0, null).Passed);
    }

    [Fact]
    public void The_lossless_rate_should_be_the_highest_achieved_rate_of_a_lossless_step_of_that_subject()
    {
        CeilingStep[] steps =
        [
            CeilingStep.Judge("mosquitto_sub", 16_000, 15_600, 1, 0, 0, null),
            CeilingStep.Judge("mosquitto_sub", 32_000, 20_400, 1, 0, 0, null),
            CeilingStep.Judge("mosquitto_sub", 24_000, 23_000, 1, 0, 5, null),
            CeilingStep.Judge("stack", 16_000, 15_100, 1, 0, 0, 0),
            CeilingStep.Judge("stack", 32_000, 17_700, 1, 0, 0, 0),
            CeilingStep.Judge("stack", 24_000, 19_000, 1, 0, 0, 3),
        ];

        Assert.Equal(20_400, CeilingSearch.HighestLossless(steps, "mosquitto_sub"));
        Assert.Equal(17_700, CeilingSearch.HighestLossless(steps, "stack"));
        Assert.Equal(0, CeilingSearch.HighestLossless(steps[..0], "stack"));
    }
}
