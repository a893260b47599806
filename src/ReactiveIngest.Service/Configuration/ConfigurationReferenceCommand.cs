using System.CommandLine;
using ReactiveIngest.Service.Cli;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// <c>config-reference</c>: prints the configuration reference as markdown; <c>--update-readme</c> rewrites the text
/// between the markers of the repository's README.md (found above the working directory, which <c>dotnet run</c> sets to
/// the project's folder); <c>--update FILE</c> does the same for FILE.
/// </summary>
public static class ConfigurationReferenceCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "config-reference";

    /// <summary>The command for the service's command line.</summary>
    public static Command Create()
    {
        var updateReadme = new Option<bool>("--update-readme") { Description = "Rewrite the reference in the README.md next to ReactiveIngest.sln (searched above the working directory)." };
        var update = new Option<string?>("--update") { Description = "Rewrite the reference between the markers of FILE.", HelpName = "FILE" };
        var command = new Command(Name, "Print every configuration key (type, default, environment variable, description) as markdown.") { updateReadme, update };
        command.Validators.Add(result =>
        {
            if (result.GetResult(updateReadme) is not null && result.GetResult(update) is not null)
            {
                result.AddError("--update-readme and --update cannot be combined.");
            }
        });
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            if (parseResult.UnmatchedTokens.Count > 0)
            {
                // The root command passes unknown arguments on as configuration overrides; this command takes none.
                parseResult.InvocationConfiguration.Error.WriteLine($"Unrecognized argument{(parseResult.UnmatchedTokens.Count == 1 ? "" : "s")} of {Name}: {string.Join(' ', parseResult.UnmatchedTokens)}. See --help.");
                return ExitCodes.InvalidUsage;
            }

            if (parseResult.GetValue(update) is { } file)
            {
                return Update(file, output);
            }

            if (parseResult.GetValue(updateReadme))
            {
                return Update(ReadmeAbove(Environment.CurrentDirectory) ?? ReadmeAbove(AppContext.BaseDirectory), output);
            }

            output.Write(ConfigurationReference.Markdown());
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Runs the service's command line with <paramref name="args"/> (<c>config-reference …</c>), writing to <paramref name="output"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        return ServiceCommandLine.InvokeAsync(args, output, output).GetAwaiter().GetResult();
    }

    private static int Update(string? file, TextWriter output)
    {
        if (file is null || !File.Exists(file))
        {
            output.WriteLine($"No such file: {file ?? "README.md next to ReactiveIngest.sln"}");
            return ExitCodes.Failure;
        }

        File.WriteAllText(file, ConfigurationReference.Replace(File.ReadAllText(file)));
        output.WriteLine($"Updated the configuration reference in {Path.GetFullPath(file)}.");
        return ExitCodes.Success;
    }

    private static string? ReadmeAbove(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveIngest.sln")))
            {
                return Path.Combine(dir.FullName, "README.md");
            }
        }

        return null;
    }
}
