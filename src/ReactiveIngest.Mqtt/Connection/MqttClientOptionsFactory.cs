using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using ReactiveIngest.Mqtt.Settings;

namespace ReactiveIngest.Mqtt.Connection;

/// <summary>Turns our settings into MQTTnet client options (TLS, credentials, session).</summary>
internal static class MqttClientOptionsFactory
{
    /// <summary>
    /// Options for one connection. <paramref name="cleanStart"/> false asks the broker to resume the session;
    /// <paramref name="sessionExpiry"/> is how long it keeps it (MQTT 5).
    /// </summary>
    public static MqttClientOptions Create(
        MqttConnectionSettings connection,
        string clientId,
        bool cleanStart,
        TimeSpan sessionExpiry,
        int? receiveMaximum)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(connection.Host, connection.Port)
            .WithClientId(clientId)
            .WithProtocolVersion(connection.Protocol == MqttProtocol.V500 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311)
            .WithKeepAlivePeriod(connection.KeepAlive)
            .WithTimeout(connection.ConnectTimeout)
            .WithCleanStart(cleanStart)
            .WithCleanSession(cleanStart);
        if (connection.Protocol == MqttProtocol.V500)
        {
            builder.WithSessionExpiryInterval((uint)Math.Min(sessionExpiry.TotalSeconds, uint.MaxValue));
            if (receiveMaximum is { } maximum)
            {
                builder.WithReceiveMaximum((ushort)maximum);
            }
        }

        if (!string.IsNullOrEmpty(connection.Username))
        {
            builder.WithCredentials(connection.Username, ReadPassword(connection));
        }

        if (connection.Tls is { } tls)
        {
            builder.WithTlsOptions(o => ConfigureTls(o, connection.Host, tls));
        }

        return builder.Build();
    }

    private static string? ReadPassword(MqttConnectionSettings connection) =>
        connection.PasswordFile is { } file ? File.ReadAllText(file).TrimEnd('\r', '\n') : connection.Password;

    private static void ConfigureTls(MqttClientTlsOptionsBuilder options, string host, MqttTlsSettings tls)
    {
        options.UseTls().WithTargetHost(tls.TargetHost ?? host);
        if (tls.ClientCertificateFile is { } certificateFile)
        {
            var certificate = tls.ClientKeyFile is { } keyFile
                ? X509Certificate2.CreateFromPemFile(certificateFile, keyFile)
                : X509CertificateLoader.LoadPkcs12FromFile(certificateFile, password: null);
            options.WithClientCertificates([certificate]);
        }

        X509Certificate2Collection? roots = null;
        if (tls.CaFile is { } caFile)
        {
            roots = [];
            roots.ImportFromPemFile(caFile);
        }

        var targetHost = tls.TargetHost ?? host;
        options.WithCertificateValidationHandler(args =>
            RejectionOf(args.Certificate, args.SslPolicyErrors, roots, tls.CheckHostname, targetHost) is { } reason
                ? throw new AuthenticationException($"TLS: the broker's certificate was rejected: {reason}.")
                : true);
    }

    /// <summary>Why the broker's certificate is not acceptable, or null when it is.</summary>
    private static string? RejectionOf(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots, bool checkHostname, string targetHost)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return "the broker sent no certificate";
        }

        if (checkHostname && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return $"its names do not match the host '{targetHost}' (Tls.TargetHost can name the host the certificate was issued for)";
        }

        if (roots is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0
                ? null
                : "it is not signed by a CA the system trusts (set Tls.CaFile to the broker's CA)";
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        if (chain.Build(leaf))
        {
            return null;
        }

        var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
        return $"it is not signed by a CA in Tls.CaFile ({(status.Length > 0 ? status : "chain not trusted")})";
    }
}
