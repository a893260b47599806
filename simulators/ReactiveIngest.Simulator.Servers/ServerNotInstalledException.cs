namespace ReactiveIngest.Simulator.Servers;

/// <summary>
/// Thrown when a test needs a server binary that is not installed. Tests never skip: the message says
/// exactly what to install.
/// </summary>
public sealed class ServerNotInstalledException : Exception
{
    /// <summary>Creates the exception for <paramref name="binary"/> with the command that installs it.</summary>
    public ServerNotInstalledException(string binary, string installCommand)
        : base($"'{binary}' was not found on PATH or in /usr/sbin, /usr/local/sbin, /usr/bin. Install it with: {installCommand} (tests/run.sh does this automatically when run as root).")
    {
    }

    /// <summary>Creates the exception with a plain message.</summary>
    public ServerNotInstalledException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a plain message and cause.</summary>
    public ServerNotInstalledException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public ServerNotInstalledException()
    {
    }
}
