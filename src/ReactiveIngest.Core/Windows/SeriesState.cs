namespace ReactiveIngest.Core.Windows;

/// <summary>
/// The windows currently held for one series (usually one or two); pooled and reused. The first two are fields of the
/// series itself (no array to reach on the per-reading path); more (hopping windows, sessions) go to an overflow array.
/// </summary>
internal sealed class SeriesState
{
    private WindowState? _first;
    private WindowState? _second;
    private WindowState[]? _more;

    public SeriesKey Key { get; set; }

    public int Count { get; private set; }

    public WindowState this[int index] => index switch
    {
        0 => _first!,
        1 => _second!,
        _ => _more![index - 2],
    };

    public WindowState? Find(long start)
    {
        if (_first is { } first && first.Start == start)
        {
            return first;
        }

        if (_second is { } second && second.Start == start)
        {
            return second;
        }

        for (var i = 2; i < Count; i++)
        {
            if (_more![i - 2].Start == start)
            {
                return _more[i - 2];
            }
        }

        return null;
    }

    public void Add(WindowState window)
    {
        switch (Count)
        {
            case 0:
                _first = window;
                break;
            case 1:
                _second = window;
                break;
            default:
                _more ??= new WindowState[2];
                if (Count - 2 == _more.Length)
                {
                    Array.Resize(ref _more, _more.Length * 2);
                }

                _more[Count - 2] = window;
                break;
        }

        Count++;
    }

    public void Remove(WindowState window)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(this[i], window))
            {
                var last = Count - 1;
                Set(i, this[last]);
                Set(last, null);
                Count = last;
                return;
            }
        }
    }

    private void Set(int index, WindowState? window)
    {
        switch (index)
        {
            case 0:
                _first = window;
                break;
            case 1:
                _second = window;
                break;
            default:
                _more![index - 2] = window!;
                break;
        }
    }
}
