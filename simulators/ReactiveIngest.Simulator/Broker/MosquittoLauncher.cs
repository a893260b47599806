using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReactiveIngest.Simulator.Broker;

/// <summary>
/// Starts a private Mosquitto on a free loopback port with a temporary configuration (no persistence, queue limits
/// raised so the broker itself is not the first thing to drop), and stops it on dispose.
/// </summary>
public sealed class MosquittoLauncher : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;

    private MosquittoLauncher(Process process, string directory, int port)
    {
        _process = process;
        _directory = directory;
        Port = port;
    }

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>Starts <paramref name="binary"/> and waits until it accepts connections.</summary>
    public static async Task<MosquittoLauncher> StartAsync(string binary = "/usr/sbin/mosquitto", CancellationToken cancellationToken = default)
    {
        if (!File.Exists(binary))
        {
            throw new FileNotFoundException($"Mosquitto is not at {binary}. Install it with: sudo apt-get install -y mosquitto", binary);
        }

        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }

        var directory = Directory.CreateTempSubdirectory("ri-sim-mosquitto-").FullName;
        var config = Path.Combine(directory, "mosquitto.conf");
        await File.WriteAllLinesAsync(
            config,
            [
                string.Create(CultureInfo.InvariantCulture, $"listener {port} 127.0.0.1"),
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 100000",
                "max_inflight_messages 0",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
            ],
            cancellationToken);
        var info = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(config);
        var process = Process.Start(info) ?? throw new InvalidOperationException("mosquitto did not start.");
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"[mosquitto] {e.Data}"); } };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var launcher = new MosquittoLauncher(process, directory, port);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
                return launcher;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                await launcher.DisposeAsync();
                throw new InvalidOperationException($"mosquitto did not listen on port {port} within 30 s.");
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up by the OS later.
        }
    }
}
