using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace ReactiveIngest.IntegrationTests.Samples;

/// <summary>
/// Runs a built sample (samples/X, built through this project's references) as <c>dotnet X.dll args</c> and
/// collects its exit code and output. The path comes from the <c>Sample:X</c> assembly metadata.
/// </summary>
internal static class SampleProgram
{
    /// <summary>How long a sample may take beyond the seconds it was asked to run (start-up on a loaded machine, draining).</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromMinutes(3);

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit code {ExitCode}{Environment.NewLine}stdout:{Environment.NewLine}{Output}{Environment.NewLine}stderr:{Environment.NewLine}{Error}";
    }

    public static async Task<Result> RunAsync(string name, int seconds, params string[] args)
    {
        var path = typeof(SampleProgram).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "Sample:" + name)?.Value;
        if (path is null || !File.Exists(path))
        {
            throw new FileNotFoundException($"Sample '{name}' was not found at '{path}'. Build it with `dotnet build samples/{name} -c <Configuration>` " +
                "(building ReactiveIngest.IntegrationTests builds every sample).");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(path);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start sample '{name}'.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(seconds) + Slack);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            throw new TimeoutException($"Sample '{name}' did not exit within {seconds} s + {Slack}.{Environment.NewLine}{await output}{Environment.NewLine}{await error}");
        }

        return new Result(process.ExitCode, await output, await error);
    }
}
