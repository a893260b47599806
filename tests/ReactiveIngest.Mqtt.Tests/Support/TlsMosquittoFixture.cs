using System.Globalization;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// A Mosquitto with, next to its plain listener, a TLS listener on <see cref="TlsPort"/> that presents a broker
/// certificate for 127.0.0.1/localhost and requires a client certificate signed by the same test CA.
/// </summary>
public sealed class TlsMosquittoFixture : MosquittoFixture
{
    private readonly TestCertificates _certificates;

    public TlsMosquittoFixture()
        : this(TestCertificates.Create(), FreePort.Next())
    {
    }

    private TlsMosquittoFixture(TestCertificates certificates, int tlsPort)
        : base(
        [
            string.Create(CultureInfo.InvariantCulture, $"listener {tlsPort} 127.0.0.1"),
            $"cafile {certificates.CaFile}",
            $"certfile {certificates.ServerCertificateFile}",
            $"keyfile {certificates.ServerKeyFile}",
            "require_certificate true",
        ])
    {
        _certificates = certificates;
        TlsPort = tlsPort;
    }

    /// <summary>The TLS listener's port on 127.0.0.1.</summary>
    public int TlsPort { get; }

    internal TestCertificates Certificates => _certificates;

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _certificates.Dispose();
    }
}
