using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.IntegrationTests.Smoke;

/// <summary>The fixtures fail loudly, with install instructions, instead of skipping.</summary>
public sealed class ServerFixtureSpec
{
    [Fact]
    public void A_missing_server_binary_should_fail_with_the_install_command()
    {
        var error = Assert.Throws<ServerNotInstalledException>(() =>
            BinaryLocator.Require("reactiveingest-no-such-server", "sudo apt-get install -y no-such-package"));
        Assert.Contains("sudo apt-get install -y no-such-package", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stopped_broker_should_delete_its_files_when_disposed()
    {
        var server = new MosquittoServer();
        await server.StartAsync();
        Assert.True(server.IsRunning);
        var dir = server.Directory;
        Assert.True(File.Exists(server.ConfigurationFile));
        await server.DisposeAsync();
        Assert.False(server.IsRunning);
        Assert.False(Directory.Exists(dir));
    }

    [Fact]
    public void Free_ports_should_be_on_loopback_and_distinct()
    {
        var ports = Enumerable.Range(0, 20).Select(_ => FreePort.Next()).ToHashSet();
        Assert.True(ports.Count >= 19, "the OS handed out the same free port repeatedly");
        Assert.All(ports, p => Assert.InRange(p, 1024, 65535));
    }
}
