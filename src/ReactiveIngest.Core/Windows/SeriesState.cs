namespace ReactiveIngest.Core.Windows;

/// <summary>The windows currently held for one series (usually one or two); pooled and reused.</summary>
internal sealed class SeriesState
{
    private WindowState[] _windows = new WindowState[2];

    public SeriesKey Key { get; set; }

    public int Count { get; private set; }

    public WindowState this[int index] => _windows[index];

    public WindowState? Find(long start)
    {
        for (var i = 0; i < Count; i++)
        {
            if (_windows[i].Start == start)
            {
                return _windows[i];
            }
        }

        return null;
    }

    public void Add(WindowState window)
    {
        if (Count == _windows.Length)
        {
            Array.Resize(ref _windows, _windows.Length * 2);
        }

        _windows[Count++] = window;
    }

    public void Remove(WindowState window)
    {
        for (var i = 0; i < Count; i++)
        {
            if (ReferenceEquals(_windows[i], window))
            {
                _windows[i] = _windows[--Count];
                _windows[Count] = null!;
                return;
            }
        }
    }
}
