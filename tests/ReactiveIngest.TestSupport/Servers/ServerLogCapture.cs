using ReactiveIngest.Simulator.Servers;
using Xunit.Abstractions;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>Shows a server's log in a test's output.</summary>
public static class ServerLogCapture
{
    /// <summary>
    /// Starts a scope: when disposed, the lines the server printed during the scope are written to the
    /// test output. xunit shows a test's output when it fails, so a failing test shows the server's log.
    /// </summary>
    public static IDisposable CaptureTo(this ServerLog log, ITestOutputHelper output, string serverName)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(output);
        return new Scope(log, output, serverName, log.Position);
    }

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
