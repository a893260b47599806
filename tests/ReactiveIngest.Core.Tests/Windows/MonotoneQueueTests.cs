using FsCheck.Xunit;
using ReactiveIngest.Core.Windows;
using Xunit;

namespace ReactiveIngest.Core.Tests.Windows;

public class MonotoneQueueTests
{
    [Property(MaxTest = 200)]
    public void Queue_should_dequeue_in_the_same_priority_order_as_a_heap(int seed)
    {
        // Interleaved increasing runs (like window ends and ends plus lateness), random out-of-order priorities that
        // fall through to the heap, and dequeues mixed in.
        var random = new Random(seed);
        var queue = new MonotoneQueue<int>();
        var reference = new PriorityQueue<int, long>();
        var runs = new long[1 + random.Next(6)];
        for (var step = 0; step < 2000; step++)
        {
            var action = random.Next(10);
            if (action < 6)
            {
                long priority;
                if (random.Next(5) == 0)
                {
                    priority = random.Next(-1000, 100_000);
                }
                else
                {
                    var run = random.Next(runs.Length);
                    runs[run] += random.Next(0, 50);
                    priority = runs[run];
                }

                queue.Enqueue(step, priority);
                reference.Enqueue(step, priority);
            }
            else
            {
                Assert.Equal(reference.TryPeek(out _, out var expectedPeek), queue.TryPeek(out _, out var peeked));
                Assert.Equal(reference.TryDequeue(out _, out var expected), queue.TryDequeue(out _, out var actual));
                Assert.Equal(expectedPeek, peeked);
                Assert.Equal(expected, actual);
            }

            Assert.Equal(reference.Count, queue.Count);
        }
    }

    [Fact]
    public void Rebuild_should_keep_and_reprioritise_only_the_accepted_elements()
    {
        var queue = new MonotoneQueue<int>();
        foreach (var (element, priority) in new[] { (1, 10L), (2, 5L), (3, 20L), (4, 1L) })
        {
            queue.Enqueue(element, priority);
        }

        queue.Rebuild((element, priority) => element == 3 ? null : priority * 2);

        var drained = new List<(int, long)>();
        while (queue.TryDequeue(out var element, out var priority))
        {
            drained.Add((element, priority));
        }

        Assert.Equal([(4, 2L), (2, 10L), (1, 20L)], drained);
    }
}
