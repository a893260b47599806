namespace ReactiveIngest.Core.Tests;

/// <summary>Measures what a hot-path call allocates once the runtime has settled.</summary>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="call"/> in rounds of <paramref name="callsPerRound"/> and returns the bytes each round
    /// allocated on this thread, stopping at the first round that allocated nothing (at most <paramref name="rounds"/>).
    /// A per-call allocation shows in every round; a one-off runtime event (tiered JIT recompiling the method while
    /// it is measured) shows in one round only, which is why one round is not enough on a loaded machine.
    /// </summary>
    public static IReadOnlyList<long> PerRound(Action call, int callsPerRound = 1000, int rounds = 5)
    {
        var perRound = new List<long>(rounds);
        for (var round = 0; round < rounds; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < callsPerRound; i++)
            {
                call();
            }

            perRound.Add(GC.GetAllocatedBytesForCurrentThread() - before);
            if (perRound[^1] == 0)
            {
                break;
            }
        }

        return perRound;
    }
}
