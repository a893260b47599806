using System.Net.Security;
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

        options.WithCertificateValidationHandler(args => IsTrusted(args.Certificate, args.SslPolicyErrors, roots, tls.CheckHostname));
    }

    private static bool IsTrusted(X509Certificate? certificate, SslPolicyErrors errors, X509Certificate2Collection? roots, bool checkHostname)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return false;
        }

        if (checkHostname && (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        if (roots is null)
        {
            return (errors & SslPolicyErrors.RemoteCertificateChainErrors) == 0;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var leaf = new X509Certificate2(certificate);
        return chain.Build(leaf);
    }
}
