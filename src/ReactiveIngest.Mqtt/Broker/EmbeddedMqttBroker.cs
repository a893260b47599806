using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace ReactiveIngest.Mqtt.Broker;

/// <summary>
/// An in-process MQTT broker (MQTTnet.Server) on a loopback port, for the demo mode and samples. It keeps
/// sessions in memory only; use Mosquitto or another broker where persistence matters.
/// </summary>
public sealed class EmbeddedMqttBroker : IAsyncDisposable
{
    private readonly MqttServer _server;

    private EmbeddedMqttBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The port the broker listens on.</summary>
    public int Port { get; }

    /// <summary>Starts a broker on <paramref name="port"/> (0 = a free port chosen now).</summary>
    public static async Task<EmbeddedMqttBroker> StartAsync(int port = 0, int maxPendingMessagesPerClient = 10_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var chosen = port == 0 ? FreeLoopbackPort() : port;
        var options = new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(chosen)
            .WithPersistentSessions()
            .WithMaxPendingMessagesPerClient(maxPendingMessagesPerClient)
            .Build();
        var server = new MqttServerFactory().CreateMqttServer(options);
        await server.StartAsync().ConfigureAwait(false);
        return new EmbeddedMqttBroker(server, chosen);
    }

    /// <summary>Stops accepting connections and closes the existing ones.</summary>
    public Task StopAsync() => _server.IsStarted ? _server.StopAsync(new MqttServerStopOptions()) : Task.CompletedTask;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _server.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
