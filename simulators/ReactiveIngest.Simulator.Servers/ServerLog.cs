namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// The last lines a server process printed, kept in a bounded ring (older lines are dropped and
/// counted), so a failing test or a load-test run can show what the server said.
/// </summary>
public sealed class ServerLog
{
    private readonly object _gate = new();
    private readonly string[] _lines;
    private long _written;

    /// <summary>Creates a log that keeps the last <paramref name="capacity"/> lines.</summary>
    public ServerLog(int capacity = 2000)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _lines = new string[capacity];
    }

    /// <summary>Total lines written since the server started (including dropped ones).</summary>
    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _written;
            }
        }
    }

    /// <summary>Appends a line.</summary>
    public void Append(string line)
    {
        lock (_gate)
        {
            _lines[_written % _lines.Length] = line;
            _written++;
        }
    }

    /// <summary>Lines written since <paramref name="position"/> (as many as are still kept).</summary>
    public IReadOnlyList<string> Since(long position)
    {
        lock (_gate)
        {
            var first = Math.Max(position, _written - _lines.Length);
            var result = new List<string>((int)Math.Max(0, _written - first));
            for (var i = first; i < _written; i++)
            {
                result.Add(_lines[i % _lines.Length]);
            }

            return result;
        }
    }
}
