using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Validation;

namespace ReactiveIngest.Service.Outputs.DeadLetters;

/// <summary>
/// The most recent dead letters in memory (a ring: the oldest is replaced when full) and a count per reason
/// since start. The dead-letter outputs record here besides writing to their target.
/// </summary>
public sealed class DeadLetterLog(int capacity = 10_000)
{
    private readonly object _gate = new();
    private readonly DeadLetter[] _ring = new DeadLetter[Math.Max(1, capacity)];
    private readonly long[] _byReason = new long[Enum.GetValues<RejectReason>().Max(r => (int)r) + 1];
    private long _total;

    /// <summary>Dead letters recorded since start.</summary>
    public long Total { get { lock (_gate) { return _total; } } }

    /// <summary>Records a dead letter.</summary>
    public void Record(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        lock (_gate)
        {
            _ring[_total % _ring.Length] = deadLetter;
            _total++;
            var index = (int)deadLetter.Reason;
            if (index >= 0 && index < _byReason.Length)
            {
                _byReason[index]++;
            }
        }
    }

    /// <summary>Count per reason since start (reasons never seen are left out).</summary>
    public IReadOnlyDictionary<RejectReason, long> CountByReason()
    {
        lock (_gate)
        {
            return Enum.GetValues<RejectReason>().Where(r => _byReason[(int)r] > 0).ToDictionary(r => r, r => _byReason[(int)r]);
        }
    }

    /// <summary>The most recent dead letters, newest first.</summary>
    public IReadOnlyList<DeadLetter> Recent(int limit)
    {
        lock (_gate)
        {
            var count = (int)Math.Min(Math.Min(limit, _total), _ring.Length);
            var result = new List<DeadLetter>(count);
            for (var i = 0; i < count; i++)
            {
                result.Add(_ring[(_total - 1 - i) % _ring.Length]);
            }

            return result;
        }
    }
}
