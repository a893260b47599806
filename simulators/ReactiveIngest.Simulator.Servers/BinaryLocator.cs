namespace ReactiveIngest.Simulator.Servers;

/// <summary>Finds executables on PATH and in the system directories Debian installs daemons into.</summary>
public static class BinaryLocator
{
    private static readonly string[] SystemDirectories = ["/usr/sbin", "/usr/local/sbin", "/usr/bin", "/usr/local/bin", "/sbin", "/bin"];

    /// <summary>The full path of <paramref name="name"/>, or null when it is not installed.</summary>
    public static string? Find(string name)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        foreach (var dir in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Concat(SystemDirectories))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The full path of <paramref name="name"/>; throws with install instructions when missing.</summary>
    public static string Require(string name, string installCommand) =>
        Find(name) ?? throw new ServerNotInstalledException(name, installCommand);
}
