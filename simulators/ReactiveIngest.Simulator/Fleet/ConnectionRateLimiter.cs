namespace ReactiveIngest.Simulator.Fleet;

/// <summary>
/// Spaces connection attempts at least 1/rate apart (a token bucket of size 1). Thread-safe; waiters are
/// served in the order they reserve a time, and a waiter never holds a lock while it waits.
/// </summary>
public sealed class ConnectionRateLimiter(double ratePerSec, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly long _spacingTicks = (long)(TimeSpan.TicksPerSecond / ratePerSec);
    private long _nextTicks;

    /// <summary>Waits for this caller's turn.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken)
    {
        long due;
        var now = time.GetUtcNow().UtcTicks;
        lock (_gate)
        {
            due = Math.Max(now, _nextTicks);
            _nextTicks = due + _spacingTicks;
        }

        var wait = due - now;
        if (wait > 0)
        {
            await Task.Delay(TimeSpan.FromTicks(wait), time, cancellationToken);
        }
    }
}
