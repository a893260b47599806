using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Windows;

// Folding: per-key window state — admission (lateness, eviction floor, persisted progress), key tags, fixed and session windows, merges.
public sealed partial class WindowEngine
{
    private bool Accepts(long end) => end > _evictionFloor && Saturating.Add(end, _latenessNs) > _watermark;

    /// <summary>True (and noted for <see cref="Fold"/>) when the current reading's partition stored the window as final.</summary>
    private bool FinalByProgress(long end)
    {
        if (Saturating.Add(end, _latenessNs) > _partitionFinal)
        {
            return false;
        }

        _skippedFinal = true;
        return true;
    }

    private TagSet KeyTagsOf(TagSet tags)
    {
        if (_keyTags.Length == 0 || tags.Count == 0)
        {
            return TagSet.Empty;
        }

        var span = tags.AsSpan();
        var all = true;
        foreach (var tag in span)
        {
            if (!_keyTagSet.Contains(tag.Key))
            {
                all = false;
                break;
            }
        }

        if (all)
        {
            return tags;
        }

        var kept = new List<Tag>(Math.Min(span.Length, _keyTags.Length));
        foreach (var tag in span)
        {
            if (_keyTagSet.Contains(tag.Key))
            {
                kept.Add(tag);
            }
        }

        return TagSet.Create(kept);
    }

    private bool AddToFixedWindow(SeriesKey key, long start, in Reading reading, long sequence)
    {
        var end = Saturating.Add(start, _spec.SizeNs);
        if (FinalByProgress(end) || !Accepts(end))
        {
            return false;
        }

        _series.TryGetValue(key, out var series);
        var window = series?.Find(start);
        if (window is null)
        {
            if (_openWindows >= _maxOpenWindows)
            {
                EvictOldest();
                if (!Accepts(end))
                {
                    return false;
                }

                _series.TryGetValue(key, out series);
            }

            series ??= CreateSeries(key);
            window = CreateWindow(series, start, end);
        }

        FoldInto(window, reading, sequence);
        return true;
    }

    private bool AddToSession(SeriesKey key, in Reading reading, long sequence)
    {
        var t = reading.TimestampNs;
        var gap = _spec.GapNs;
        var start = t;
        var end = Saturating.Add(t, gap);
        _series.TryGetValue(key, out var series);
        WindowState? target = null;
        var overlaps = 0;
        if (series is not null)
        {
            for (var i = 0; i < series.Count; i++)
            {
                var w = series[i];
                if (t < w.End && end > w.Start)
                {
                    overlaps++;
                    start = Math.Min(start, w.Start);
                    end = Math.Max(end, w.End);
                    if (target is null || w.Start < target.Start)
                    {
                        target = w;
                    }
                }
            }
        }

        if (FinalByProgress(end) || !Accepts(end))
        {
            return false;
        }

        if (target is null)
        {
            if (_openWindows >= _maxOpenWindows)
            {
                EvictOldest();
                if (!Accepts(end))
                {
                    return false;
                }

                _series.TryGetValue(key, out series);
            }

            series ??= CreateSeries(key);
            FoldInto(CreateWindow(series, start, end), reading, sequence);
            return true;
        }

        if (overlaps > 1)
        {
            for (var i = series!.Count - 1; i >= 0; i--)
            {
                var w = series[i];
                if (!ReferenceEquals(w, target) && w.Start < end && w.End > start && w.Start >= start && w.End <= end)
                {
                    Absorb(target, w);
                }
            }
        }

        var oldKey = ExpectedQueueKey(target);
        target.Start = start;
        target.End = end;
        var fired = target.Fired && end <= Math.Max(_watermark, _evictionFloor);
        if (target.Fired && !fired)
        {
            target.Fired = false; // extended past the watermark: it will fire again as final
            target.PendingLateUpdate = false;
        }

        var newKey = ExpectedQueueKey(target);
        if (newKey < oldKey)
        {
            var stamp = target.QueueStamp + 1;
            target.QueueStamp = stamp;
            _fireQueue.Enqueue(new WindowQueueEntry(target, stamp), newKey);
        }

        FoldInto(target, reading, sequence);
        return true;
    }

    private void Absorb(WindowState target, WindowState other)
    {
        target.Aggregate.Merge(other.Aggregate);
        target.Sketch.Merge(other.Sketch);
        target.Changed |= other.Changed;
        target.Fired |= other.Fired;
        target.PendingLateUpdate |= other.PendingLateUpdate;
        if (other.UnemittedSince < target.UnemittedSince)
        {
            target.UnemittedSince = other.UnemittedSince;
            _unemitted.Enqueue(new WindowQueueEntry(target, target.Generation), target.UnemittedSince);
        }

        if (other.HeldSince < target.HeldSince)
        {
            target.HeldSince = other.HeldSince;
            _unfinal.Enqueue(new WindowQueueEntry(target, target.Generation), target.HeldSince);
        }

        if (target.PendingLateUpdate)
        {
            _lateDirty.Add(new WindowQueueEntry(target, target.Generation));
        }

        target.Revision = Math.Max(target.Revision, other.Revision);
        other.Series.Remove(other);
        _openWindows--;
        Return(other);
    }

    private SeriesState CreateSeries(SeriesKey key)
    {
        var series = _seriesPool.Count > 0 ? _seriesPool.Pop() : new SeriesState();
        series.Key = key;
        _series.Add(key, series);
        return series;
    }

    private WindowState CreateWindow(SeriesState series, long start, long end)
    {
        var w = _windowPool.Count > 0 ? _windowPool.Pop() : new WindowState();
        w.Series = series;
        w.Start = start;
        w.End = end;
        series.Add(w);
        _openWindows++;
        _fireQueue.Enqueue(new WindowQueueEntry(w, w.QueueStamp), end);
        return w;
    }

    private void FoldInto(WindowState w, in Reading reading, long sequence)
    {
        w.Aggregate.Add(reading.TimestampNs, reading.Value);
        w.Sketch.Add(reading.Value);
        w.Changed = true;
        if (sequence < w.UnemittedSince)
        {
            w.UnemittedSince = sequence;
            _unemitted.Enqueue(new WindowQueueEntry(w, w.Generation), sequence);
        }

        if (sequence < w.HeldSince)
        {
            w.HeldSince = sequence;
            _unfinal.Enqueue(new WindowQueueEntry(w, w.Generation), sequence);
        }

        if (w.Fired && !w.PendingLateUpdate)
        {
            w.PendingLateUpdate = true;
            _lateDirty.Add(new WindowQueueEntry(w, w.Generation));
        }
    }
}
