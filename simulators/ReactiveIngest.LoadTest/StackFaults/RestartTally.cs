namespace ReactiveIngest.Simulator.StackFaults;

/// <summary>
/// A service counter (late readings, dead letters) summed over the incarnations of a service that is killed and
/// restarted: each incarnation starts again from 0, so the total is the last value seen of every earlier incarnation
/// plus the current one. A killed incarnation's count after its last sample is not seen, so the total is a lower
/// bound when the service was killed. Thread-safe.
/// </summary>
public sealed class RestartTally
{
    private readonly Lock _gate = new();
    private long _earlier;
    private long _current;

    /// <summary>The sum over all incarnations so far.</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                return _earlier + _current;
            }
        }
    }

    /// <summary>The current incarnation reported <paramref name="value"/>.</summary>
    public void Observe(long value)
    {
        lock (_gate)
        {
            _current = value;
        }
    }

    /// <summary>The service was restarted: what the old incarnation counted is kept, the new one starts at 0.</summary>
    public void Restarted()
    {
        lock (_gate)
        {
            _earlier += _current;
            _current = 0;
        }
    }
}
