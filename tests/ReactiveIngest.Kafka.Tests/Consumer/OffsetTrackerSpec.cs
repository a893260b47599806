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

    [Fact]
    public void Tracker_should_mark_exactly_the_released_record_after_its_ring_wrapped_many_times()
    {
        var tracker = new OffsetTracker(3);
        var random = new Random(7);
        var unreleased = new List<(int Slot, long Offset)>();
        var released = new SortedSet<long>();
        long next = 100;
        long expected = -1;
        for (var step = 0; step < 500; step++)
        {
            if (!tracker.IsFull && (unreleased.Count == 0 || random.Next(2) == 0))
            {
                unreleased.Add((tracker.Append(next), next));
                next += 1 + random.Next(3); // gaps, as after compaction
                continue;
            }

            var pick = random.Next(unreleased.Count);
            var (slot, offset) = unreleased[pick];
            unreleased.RemoveAt(pick);
            tracker.MarkReleased(slot);
            released.Add(offset);

            // The commit offset is one past the last offset before the first unreleased one.
            var firstUnreleased = unreleased.Count == 0 ? long.MaxValue : unreleased.Min(u => u.Offset);
            var prefix = released.GetViewBetween(long.MinValue, firstUnreleased - 1);
            expected = prefix.Count == 0 ? expected : prefix.Max + 1;
            Assert.Equal(expected, tracker.Advance());
        }

        Assert.True(next > 400, "the ring of 3 slots wrapped many times");
    }
}
