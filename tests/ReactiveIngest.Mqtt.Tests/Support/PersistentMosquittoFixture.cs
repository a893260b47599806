using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// A Mosquitto with a deep per-session queue so outage tests can park thousands of QoS 1 messages
/// (the default keeps 1,000 per persistent session). Persistence itself is set up by <see cref="MosquittoServer"/>.
/// </summary>
public sealed class PersistentMosquittoFixture : IAsyncLifetime
{
    private MosquittoServer? _server;

    public MosquittoServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    public static IReadOnlyList<string> Configuration { get; } = ["max_queued_messages 100000"];

    public async Task InitializeAsync()
    {
        _server = new MosquittoServer(Configuration);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
