using ReactiveIngest.Simulator.Servers;
using Xunit;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>
/// xunit fixture (class or collection) that starts one Mosquitto broker for the tests that share it and
/// stops it and deletes its files afterwards. A missing binary fails every test with install instructions.
/// Derive from it to start the broker with extra mosquitto.conf lines.
/// </summary>
public class MosquittoFixture : IAsyncLifetime
{
    private readonly IReadOnlyList<string> _extraConfiguration;
    private MosquittoServer? _server;

    /// <summary>A broker with the default configuration.</summary>
    public MosquittoFixture()
        : this([])
    {
    }

    /// <summary>A broker with <paramref name="extraConfiguration"/> appended to its mosquitto.conf.</summary>
    protected MosquittoFixture(IReadOnlyList<string> extraConfiguration) => _extraConfiguration = extraConfiguration;

    /// <summary>The running broker.</summary>
    public MosquittoServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _server = new MosquittoServer(_extraConfiguration);
        await _server.StartAsync();
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
