using System.Diagnostics;
using ReactiveIngest.Service.Tests.Browser;

namespace ReactiveIngest.Service.Tests.Cli;

/// <summary>What a run of the built service printed and how it ended.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Standard output.</param>
/// <param name="Error">Standard error.</param>
internal sealed record ServiceCommandResult(int ExitCode, string Output, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Output}\n--- stderr\n{Error}";
}

/// <summary>Runs the built service (<c>dotnet ReactiveIngest.Service.dll …</c>) to completion from a temporary working directory.</summary>
internal static class ServiceCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

    /// <summary>Runs <paramref name="arguments"/>; kills the process and fails when it does not end within two minutes.</summary>
    public static async Task<ServiceCommandResult> RunAsync(params string[] arguments)
    {
        var directory = Directory.CreateTempSubdirectory("ri-cli-");
        try
        {
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = directory.FullName,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(DemoServiceProcess.Dll());
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            // Nothing of the test process's own configuration may leak in.
            foreach (var variable in start.Environment.Keys.Where(k => k.StartsWith("ReactiveIngest", StringComparison.OrdinalIgnoreCase) || k.StartsWith("ASPNETCORE_", StringComparison.Ordinal)).ToList())
            {
                start.Environment.Remove(variable);
            }

            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`{string.Join(' ', arguments)}` did not end within {Timeout}: {await output}{await error}");
            }

            return new ServiceCommandResult(process.ExitCode, await output, await error);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
