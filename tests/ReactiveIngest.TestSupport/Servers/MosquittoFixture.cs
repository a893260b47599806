using Xunit;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>
/// xunit fixture (class or collection) that starts one Mosquitto broker for the tests that share it and
/// stops it and deletes its files afterwards. A missing binary fails every test with install instructions.
/// </summary>
public sealed class MosquittoFixture : IAsyncLifetime
{
    private MosquittoServer? _server;

    /// <summary>The running broker.</summary>
    public MosquittoServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = new MosquittoServer();
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
