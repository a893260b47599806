using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.LoadTest;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.LoadTest;

public sealed class WindowRollupSpec
{
    [Fact]
    public void Cells_should_merge_into_epoch_aligned_windows_and_windows_not_ended_should_be_left_out()
    {
        var cells = new Dictionary<WindowKey, WindowStats>
        {
            [new WindowKey("d1", "t", 60_000)] = new(2, 3, 1, 2),
            [new WindowKey("d1", "t", 110_000)] = new(1, 5, 5, 5),
            [new WindowKey("d2", "t", 70_000)] = new(1, -1, -1, -1),
            [new WindowKey("d1", "t", 120_000)] = new(1, 9, 9, 9),
        };

        var windows = WindowRollup.Roll(cells, sizeMs: 60_000, endedByMs: 150_000);

        Assert.Equal(2, windows.Count);
        Assert.Equal(new WindowStats(3, 8, 1, 5), windows[new WindowKey("d1", "t", 60_000)]);
        Assert.Equal(new WindowStats(1, -1, -1, -1), windows[new WindowKey("d2", "t", 60_000)]);
    }

    [Fact]
    public void A_size_that_is_not_a_multiple_of_the_ground_truth_cell_should_be_refused()
    {
        Assert.Throws<ArgumentException>(() => WindowRollup.Roll(new Dictionary<WindowKey, WindowStats>(), 15_000, 0));
    }
}
