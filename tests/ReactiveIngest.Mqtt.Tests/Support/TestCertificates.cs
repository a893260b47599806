using System.Diagnostics;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// Certificates made with openssl at test time in a temporary directory: a CA, a broker certificate for
/// 127.0.0.1 and localhost signed by it, a client certificate signed by it, and an unrelated second CA.
/// Files are world-readable because Mosquitto started as root may drop to the 'mosquitto' user.
/// </summary>
internal sealed class TestCertificates : IDisposable
{
    public const string InstallCommand = "sudo apt-get install -y openssl";

    private TestCertificates(string directory) => Directory = directory;

    public string Directory { get; }

    public string CaFile => Path.Combine(Directory, "ca.crt");

    public string ServerCertificateFile => Path.Combine(Directory, "server.crt");

    public string ServerKeyFile => Path.Combine(Directory, "server.key");

    public string ClientCertificateFile => Path.Combine(Directory, "client.crt");

    public string ClientKeyFile => Path.Combine(Directory, "client.key");

    /// <summary>A CA that signed nothing the broker uses.</summary>
    public string OtherCaFile => Path.Combine(Directory, "other-ca.crt");

    public static TestCertificates Create()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ri-mqtt-tls-").FullName;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The TLS tests run Mosquitto and openssl on Linux.");
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        File.WriteAllLines(Path.Combine(directory, "server.ext"), ["basicConstraints=CA:FALSE", "keyUsage=digitalSignature,keyEncipherment", "extendedKeyUsage=serverAuth", "subjectAltName=IP:127.0.0.1,DNS:localhost"]);
        File.WriteAllLines(Path.Combine(directory, "client.ext"), ["basicConstraints=CA:FALSE", "keyUsage=digitalSignature,keyEncipherment", "extendedKeyUsage=clientAuth"]);
        string[][] steps =
        [
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=ReactiveIngest Test CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "ca.key", "-out", "ca.crt"],
            ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Some Other CA", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-keyout", "other-ca.key", "-out", "other-ca.crt"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "server.ext", "-out", "server.crt"],
            ["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=ingest-test-client", "-keyout", "client.key", "-out", "client.csr"],
            ["x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "client.ext", "-out", "client.crt"],
        ];
        foreach (var step in steps)
        {
            RunOpenSsl(directory, step);
        }

        foreach (var file in System.IO.Directory.GetFiles(directory))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        return new TestCertificates(directory);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory left behind is harmless.
        }
    }

    private static void RunOpenSsl(string directory, IReadOnlyList<string> arguments)
    {
        var info = new ProcessStartInfo("openssl") { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException("openssl did not start.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"openssl is needed to make test certificates. Install it with: {InstallCommand}", e);
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill();
                throw new TimeoutException($"openssl {string.Join(' ', arguments)} did not finish within 60 s.");
            }

            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"openssl {string.Join(' ', arguments)} failed ({process.ExitCode}): {error.Result}");
            }
        }
    }
}
