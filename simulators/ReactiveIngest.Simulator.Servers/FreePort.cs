using System.Net;
using System.Net.Sockets;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>Finds free TCP ports on the loopback interface.</summary>
public static class FreePort
{
    /// <summary>
    /// Asks the OS for a free loopback port. The port is released before returning, so a server started
    /// right after can bind it; the window for a clash with another process is tiny.
    /// </summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
