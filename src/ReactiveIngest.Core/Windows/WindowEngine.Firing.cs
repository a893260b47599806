using ReactiveIngest.Core.Aggregates;
using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Windows;

// Firing and finality: emissions, late updates, the fire queue walk, purging and pooling, progress-queue compaction.
public sealed partial class WindowEngine
{
    /// <summary>The smallest sequence in <paramref name="queue"/> still current for its window, dropping stale entries on the way.</summary>
    private static long OldestValid(MonotoneQueue<WindowQueueEntry> queue, Func<WindowState, long> current)
    {
        while (queue.TryPeek(out var entry, out var sequence))
        {
            if (entry.Window.Generation == entry.Token && current(entry.Window) == sequence)
            {
                return sequence;
            }

            queue.Dequeue();
        }

        return long.MaxValue;
    }

    private bool IsExpired(WindowState w) => w.End <= _evictionFloor || Saturating.Add(w.End, _latenessNs) <= _watermark;

    private long ExpectedQueueKey(WindowState w) => w.Fired ? Saturating.Add(w.End, _latenessNs) : w.End;

    private void Emit(WindowState w, EmissionKind kind)
    {
        var oldest = kind == EmissionKind.Early ? long.MaxValue : w.UnemittedSince;
        var result = new WindowResult(w.Series.Key, w.Start, w.End, kind, w.Revision, AggregateSnapshot.From(w.Aggregate, w.Sketch), oldest);
        w.Revision++;
        w.Changed = false;
        if (kind != EmissionKind.Early)
        {
            w.UnemittedSince = long.MaxValue;
            w.PendingLateUpdate = false;
        }

        _emitted++;
        if (kind == EmissionKind.LateUpdate)
        {
            _lateUpdates++;
        }
        else if (kind == EmissionKind.Evicted)
        {
            _evicted++;
        }

        _emit(result);
    }

    private void FlushLateUpdates()
    {
        if (_lateDirty.Count == 0)
        {
            return;
        }

        foreach (var entry in _lateDirty)
        {
            var w = entry.Window;
            if (w.Generation == entry.Token && w.PendingLateUpdate)
            {
                Emit(w, EmissionKind.LateUpdate);
            }
        }

        _lateDirty.Clear();
    }

    private void Process()
    {
        var fireBound = Math.Max(_watermark, _evictionFloor);
        while (_fireQueue.TryPeek(out var entry, out var key))
        {
            var w = entry.Window;
            if (entry.Token != w.QueueStamp)
            {
                _fireQueue.Dequeue();
                continue;
            }

            var expected = ExpectedQueueKey(w);
            if (key != expected)
            {
                _fireQueue.Dequeue();
                _fireQueue.Enqueue(entry, expected);
                continue;
            }

            if (!w.Fired)
            {
                if (w.End > fireBound)
                {
                    break;
                }

                _fireQueue.Dequeue();
                Emit(w, w.End > _watermark ? EmissionKind.Evicted : EmissionKind.Final);
                w.Fired = true;
                if (IsExpired(w))
                {
                    Purge(w);
                }
                else
                {
                    _fireQueue.Enqueue(entry, ExpectedQueueKey(w));
                }
            }
            else
            {
                if (!IsExpired(w))
                {
                    break;
                }

                _fireQueue.Dequeue();
                Purge(w);
            }
        }
    }

    private void Purge(WindowState w)
    {
        if (w.PendingLateUpdate)
        {
            Emit(w, EmissionKind.LateUpdate);
        }

        var series = w.Series;
        series.Remove(w);
        _openWindows--;
        Return(w);
        if (series.Count == 0)
        {
            _series.Remove(series.Key);
            series.Key = default;
            if (_seriesPool.Count < PoolLimit)
            {
                _seriesPool.Push(series);
            }
        }
    }

    private void Return(WindowState w)
    {
        w.Recycle();
        if (_windowPool.Count < PoolLimit)
        {
            _windowPool.Push(w);
        }
    }

    private void CompactIfNeeded()
    {
        var limit = (2 * _openWindows) + 1024;
        if (_unemitted.Count > limit)
        {
            _unemitted.Rebuild(static (entry, sequence) =>
                entry.Window.Generation == entry.Token && entry.Window.UnemittedSince == sequence ? sequence : null);
        }

        if (_unfinal.Count > limit)
        {
            _unfinal.Rebuild(static (entry, sequence) =>
                entry.Window.Generation == entry.Token && entry.Window.HeldSince == sequence ? sequence : null);
        }

        if (_fireQueue.Count > limit)
        {
            _fireQueue.Rebuild((entry, _) => entry.Window.QueueStamp == entry.Token ? ExpectedQueueKey(entry.Window) : null);
        }
    }
}
