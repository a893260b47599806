namespace ReactiveIngest.Kafka.Tests.Support;

/// <summary>Counts how often each record number was processed; signals when all of 0..n-1 were seen.</summary>
internal sealed class RecordLedger
{
    private readonly int[] _counts;
    private readonly TaskCompletionSource _complete = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _distinct;
    private long _total;

    public RecordLedger(int expected) => _counts = new int[expected];

    public int Distinct => Volatile.Read(ref _distinct);

    public long Total => Interlocked.Read(ref _total);

    public int Duplicates => (int)(Total - Distinct);

    public void Processed(int number)
    {
        Interlocked.Increment(ref _total);
        if (Interlocked.Increment(ref _counts[number]) == 1 && Interlocked.Increment(ref _distinct) == _counts.Length)
        {
            _complete.TrySetResult();
        }
    }

    public bool Seen(int number) => Volatile.Read(ref _counts[number]) > 0;

    public IEnumerable<int> Missing() => Enumerable.Range(0, _counts.Length).Where(i => !Seen(i));

    /// <summary>Waits until every number was processed; the message names what is missing.</summary>
    public async Task WaitForAllAsync(TimeSpan timeout)
    {
        var finished = await Task.WhenAny(_complete.Task, Task.Delay(timeout));
        if (finished != _complete.Task)
        {
            var missing = Missing().Take(20).ToList();
            throw new TimeoutException(
                $"Only {Distinct}/{_counts.Length} records processed within {timeout}; missing e.g. {string.Join(",", missing)}.");
        }
    }
}
