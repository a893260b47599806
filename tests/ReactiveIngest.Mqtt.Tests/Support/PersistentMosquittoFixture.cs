using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// A Mosquitto whose persistence works when the tests run as root: by default mosquitto drops to the
/// <c>mosquitto</c> user, which cannot write the fixture's temporary data directory ("Error saving
/// in-memory database ... Permission denied"), so a restart would lose sessions. <c>user root</c>
/// keeps it able to save. A deep queue lets outage tests park thousands of messages.
/// </summary>
public sealed class PersistentMosquittoFixture : IAsyncLifetime
{
    private MosquittoServer? _server;

    public MosquittoServer Server => _server ?? throw new InvalidOperationException("The broker is not started.");

    public static IReadOnlyList<string> Configuration { get; } = Environment.UserName == "root"
        ? ["user root", "max_queued_messages 100000"]
        : ["max_queued_messages 100000"];

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
