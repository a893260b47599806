namespace ReactiveIngest.Simulator.Rate;

/// <summary>
/// Open-model pacing: every device has a fixed timetable that does not depend on how fast sends complete,
/// so a stalled system does not slow the load down (no coordinated omission). The controller hands out slots in
/// intended-time order; a slot taken later than its tolerance counts as missed (and, with
/// <see cref="MissedSlotPolicy.Skip"/>, is not handed out at all). Not thread-safe: one sender loop owns it.
/// </summary>
public sealed class OpenModelRateController
{
    private readonly TimeProvider _time;
    private readonly RatePlan _plan;
    private readonly MissedSlotPolicy _policy;
    private readonly PriorityQueue<Entry, long> _queue = new();

    /// <summary>Creates a controller reading the clock from <paramref name="time"/>.</summary>
    public OpenModelRateController(TimeProvider time, RatePlan plan, MissedSlotPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(plan);
        _time = time;
        _plan = plan;
        _policy = policy;
    }

    /// <summary>Slots handed out.</summary>
    public long Taken { get; private set; }

    /// <summary>Slots taken or skipped later than their tolerance.</summary>
    public long Missed { get; private set; }

    /// <summary>Missed slots not handed out (only with <see cref="MissedSlotPolicy.Skip"/>).</summary>
    public long Skipped { get; private set; }

    /// <summary>Number of devices scheduled.</summary>
    public int Count => _queue.Count;

    /// <summary>The current time in epoch µs.</summary>
    public long NowUs => Clock.NowUs(_time);

    /// <summary>The earliest intended time, or null when nothing is scheduled.</summary>
    public long? NextDueUs => _queue.TryPeek(out _, out var due) ? due : null;

    /// <summary>Schedules device <paramref name="device"/> with its first intended time and interval.</summary>
    public void Add(int device, long firstUs, long intervalUs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalUs, 1);
        _queue.Enqueue(new Entry(device, 0, intervalUs), firstUs);
    }

    /// <summary>Takes the earliest slot if it is due now (never a slot due later, never one past <paramref name="endUs"/>).</summary>
    public bool TryTakeDue(long endUs, out DueSlot slot)
    {
        var now = NowUs;
        while (_queue.TryPeek(out var entry, out var intended) && intended <= now && intended < endUs)
        {
            _queue.DequeueEnqueue(entry with { Sequence = entry.Sequence + 1 }, _plan.NextUs(intended, entry.IntervalUs));
            var lag = now - intended;
            var missed = lag > _plan.ToleranceUs(entry.IntervalUs);
            if (missed)
            {
                Missed++;
                if (_policy == MissedSlotPolicy.Skip)
                {
                    Skipped++;
                    continue;
                }
            }

            Taken++;
            slot = new DueSlot(entry.Device, entry.Sequence, intended, lag, missed);
            return true;
        }

        slot = default;
        return false;
    }

    private readonly record struct Entry(int Device, long Sequence, long IntervalUs);
}
