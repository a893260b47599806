namespace ReactiveIngest.Service.Live;

/// <summary>
/// The most recent window results of one series (device, metric, window definition), ordered by window start.
/// A result for a window start already held replaces it (a late update or the final result after early ones);
/// past <c>capacity</c> the oldest window is dropped. Results kept share the series' key strings, so a held result
/// costs its own fields only (about 200 bytes). Not thread-safe: the store locks around it.
/// </summary>
internal sealed class SeriesResults(string deviceId, string metric, string window, int capacity)
{
    private readonly List<WindowResultView> _results = [];

    public string DeviceId => deviceId;

    public string Metric => metric;

    public string Window => window;

    public int Count => _results.Count;

    /// <summary>The result with the latest window start, or null when empty.</summary>
    public WindowResultView? Newest => _results.Count > 0 ? _results[^1] : null;

    /// <summary>The result with the earliest window start, or null when empty.</summary>
    public WindowResultView? Oldest => _results.Count > 0 ? _results[0] : null;

    /// <summary>The latest final result (early results of a still open window are skipped), or null.</summary>
    public WindowResultView? NewestFinal
    {
        get
        {
            for (var i = _results.Count - 1; i >= 0; i--)
            {
                if (_results[i].Final)
                {
                    return _results[i];
                }
            }

            return null;
        }
    }

    /// <summary>Adds or replaces the result for its window start.</summary>
    public void Put(WindowResultView result)
    {
        if (!ReferenceEquals(result.DeviceId, deviceId) || !ReferenceEquals(result.Metric, metric) || !ReferenceEquals(result.Window, window))
        {
            result = result with { DeviceId = deviceId, Metric = metric, Window = window };
        }

        // Results arrive almost always in window-start order: check the end before searching.
        if (_results.Count == 0 || _results[^1].WindowStart < result.WindowStart)
        {
            _results.Add(result);
        }
        else
        {
            var index = IndexOf(result.WindowStart);
            if (index >= 0)
            {
                _results[index] = result;
                return;
            }

            _results.Insert(~index, result);
        }

        if (_results.Count > capacity)
        {
            _results.RemoveAt(0);
        }
    }

    /// <summary>Results with window start in [from, to), oldest first.</summary>
    public List<WindowResultView> Between(DateTimeOffset from, DateTimeOffset to)
    {
        var start = IndexOf(from);
        var list = new List<WindowResultView>();
        for (var i = start >= 0 ? start : ~start; i < _results.Count && _results[i].WindowStart < to; i++)
        {
            list.Add(_results[i]);
        }

        return list;
    }

    // Binary search by window start: the index when found, else the complement of the insertion point.
    private int IndexOf(DateTimeOffset windowStart)
    {
        int lo = 0, hi = _results.Count - 1;
        while (lo <= hi)
        {
            var mid = lo + ((hi - lo) >> 1);
            var c = _results[mid].WindowStart.CompareTo(windowStart);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
