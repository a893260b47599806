using ReactiveIngest.Kafka.Consumer;
using Xunit;

namespace ReactiveIngest.Kafka.Tests.Consumer;

public sealed class OffsetTrackerSpec
{
    [Fact]
    public void Tracker_should_commit_only_the_contiguous_released_prefix()
    {
        var tracker = new OffsetTracker(8);
        var s10 = tracker.Append(10);
        var s11 = tracker.Append(11);
        var s15 = tracker.Append(15); // offsets need not be contiguous (compaction, markers)

        tracker.MarkReleased(s11);
        tracker.MarkReleased(s15);
        Assert.Equal(-1, tracker.Advance());

        tracker.MarkReleased(s10);
        Assert.Equal(16, tracker.Advance());
        Assert.Equal(0, tracker.Outstanding);
    }

    [Fact]
    public void Tracker_should_be_full_at_capacity_until_released_records_are_advanced_over()
    {
        var tracker = new OffsetTracker(2);
        var first = tracker.Append(0);
        tracker.Append(1);
        Assert.True(tracker.IsFull);

        tracker.MarkReleased(first);
        Assert.True(tracker.IsFull);
        Assert.Equal(1, tracker.Advance());
        Assert.False(tracker.IsFull);

        var third = tracker.Append(2); // reuses the first slot
        tracker.MarkReleased(third);
        Assert.Equal(1, tracker.Advance()); // offset 1 still holds the prefix back
    }

    [Fact]
    public void Tracker_should_reach_the_last_offset_whatever_the_release_order()
    {
        var random = new Random(42);
        for (var round = 0; round < 50; round++)
        {
            var tracker = new OffsetTracker(64);
            var sequences = Enumerable.Range(0, 64).Select(i => tracker.Append(i * 2L)).ToArray();
            var order = sequences.OrderBy(_ => random.Next()).ToArray();
            var lastCommit = -1L;
            foreach (var sequence in order)
            {
                tracker.MarkReleased(sequence);
                var commit = tracker.Advance();
                Assert.True(commit >= lastCommit, "commit offsets never go backwards");
                lastCommit = commit;
            }

            Assert.Equal(127, lastCommit);
        }
    }
}
