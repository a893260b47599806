using System.Globalization;

namespace ReactiveIngest.Simulator.Servers;

/// <summary>Reads memory figures of a Linux process from <c>/proc/&lt;pid&gt;/status</c> (<c>VmRSS</c>, <c>VmHWM</c>, …).</summary>
public static class ProcStatus
{
    /// <summary>
    /// The value of <paramref name="field"/> (e.g. <c>VmRSS</c>) in bytes, from the text of a status file whose lines
    /// read <c>VmRSS:&#160;&#160;&#160;123456 kB</c>; null when the field is absent or not a number of kB.
    /// </summary>
    public static long? ParseBytes(string statusText, string field)
    {
        ArgumentNullException.ThrowIfNull(statusText);
        ArgumentException.ThrowIfNullOrEmpty(field);
        var prefix = field + ":";
        foreach (var line in statusText.Split('\n'))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var parts = line[prefix.Length..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && parts[1] == "kB" && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
            {
                return kb * 1024;
            }

            return null;
        }

        return null;
    }

    /// <summary>The value of <paramref name="field"/> of process <paramref name="pid"/> in bytes; null when the process is gone or the file is not there (not Linux).</summary>
    public static long? ReadBytes(int pid, string field)
    {
        try
        {
            return ParseBytes(File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/status")), field);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
