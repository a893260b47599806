using ReactiveIngest.Simulator.Servers;
using Xunit;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>
/// xunit fixture (class or collection) that starts one influxd for the tests that share it and stops it
/// and deletes its files afterwards. Tests isolate themselves with <see cref="InfluxServer.CreateDatabaseAsync"/>.
/// </summary>
public sealed class InfluxFixture : IAsyncLifetime
{
    private InfluxServer? _server;

    /// <summary>The running server.</summary>
    public InfluxServer Server => _server ?? throw new InvalidOperationException("influxd is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = new InfluxServer();
        await _server.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
