using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Streams.Transforms;

/// <summary>
/// Per-series (device + metric) state for a transform, bounded: when <c>maxSeries</c> is reached the series
/// created earliest is forgotten (it starts afresh if it reports again) and <see cref="Evictions"/> counts it.
/// </summary>
internal sealed class SeriesStateMap<TState>
    where TState : class, new()
{
    private readonly Dictionary<(string, string), TState> _states = [];
    private readonly Queue<(string, string)> _order = new();
    private readonly int _maxSeries;

    public SeriesStateMap(int maxSeries)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSeries, 1);
        _maxSeries = maxSeries;
    }

    public long Evictions { get; private set; }

    public IEnumerable<KeyValuePair<(string, string), TState>> Entries => _states;

    /// <summary>The state of the reading's series; <paramref name="created"/> is true when it is new.</summary>
    public TState Get(in Reading reading, out bool created)
    {
        var key = (reading.DeviceId, reading.Metric);
        if (_states.TryGetValue(key, out var state))
        {
            created = false;
            return state;
        }

        while (_states.Count >= _maxSeries && _order.TryDequeue(out var oldest))
        {
            if (_states.Remove(oldest))
            {
                Evictions++;
            }
        }

        state = new TState();
        _states.Add(key, state);
        _order.Enqueue(key);
        created = true;
        return state;
    }
}
