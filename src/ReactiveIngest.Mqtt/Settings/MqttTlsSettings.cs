namespace ReactiveIngest.Mqtt.Settings;

/// <summary>TLS for a broker connection. Absent (null) means plain TCP.</summary>
public sealed class MqttTlsSettings
{
    /// <summary>
    /// A PEM file with the CA certificate(s) that sign the broker's certificate. When set, the broker's
    /// chain must end at one of them (the system trust store is not used); when absent, the system store decides.
    /// </summary>
    public string? CaFile { get; init; }

    /// <summary>A PEM certificate (or PKCS#12 file) for mutual TLS; optional.</summary>
    public string? ClientCertificateFile { get; init; }

    /// <summary>The PEM private key of <see cref="ClientCertificateFile"/> (not needed for PKCS#12).</summary>
    public string? ClientKeyFile { get; init; }

    /// <summary>Whether the broker certificate's name must match the host (default true; turn off only for tests).</summary>
    public bool CheckHostname { get; init; } = true;

    /// <summary>The name to check against the certificate when it differs from the host (e.g. connecting by IP).</summary>
    public string? TargetHost { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        $"Tls(CaFile={CaFile ?? "system"}, ClientCertificateFile={ClientCertificateFile ?? "none"}, CheckHostname={CheckHostname})";
}
