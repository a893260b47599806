using Xunit.Abstractions;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>
/// The last lines a server process printed, kept in a bounded ring (older lines are dropped and
/// counted), so a failing test can show what the server said.
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

    /// <summary>
    /// Starts a scope: when disposed, the lines the server printed during the scope are written to the
    /// test output. xunit shows a test's output when it fails, so a failing test shows the server's log.
    /// </summary>
    public IDisposable CaptureTo(ITestOutputHelper output, string serverName) => new Scope(this, output, serverName, Position);

    private sealed class Scope(ServerLog log, ITestOutputHelper output, string serverName, long start) : IDisposable
    {
        public void Dispose()
        {
            var lines = log.Since(start);
            try
            {
                output.WriteLine($"----- {serverName} log during this test ({lines.Count} lines) -----");
                foreach (var line in lines)
                {
                    output.WriteLine(line);
                }
            }
            catch (InvalidOperationException)
            {
                // The test already finished; nothing left to write to.
            }
        }
    }
}
