using System.CommandLine;
using ReactiveIngest.Service.Cli;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// <c>config-reference</c>: prints the configuration reference as markdown; <c>--update-docs</c> rewrites the text
/// between the markers of the repository's docs/configuration.md (the repository is the directory of ReactiveIngest.sln,
/// searched upwards from the working directory, then from the assembly's); <c>--update FILE</c> does the same for FILE.
/// </summary>
public static class ConfigurationReferenceCommand
{
    /// <summary>The command's name.</summary>
    public const string Name = "config-reference";

    /// <summary>The command for the service's command line.</summary>
    public static Command Create()
    {
        var updateDocs = new Option<bool>("--update-docs") { Description = "Rewrite the reference in docs/configuration.md next to ReactiveIngest.sln (searched above the working directory)." };
        var update = new Option<string?>("--update") { Description = "Rewrite the reference between the markers of FILE.", HelpName = "FILE" };
        var command = new Command(Name, "Print every configuration key (type, default, environment variable, description) as markdown.") { updateDocs, update };
        command.Validators.Add(result =>
        {
            if (result.GetResult(updateDocs) is not null && result.GetResult(update) is not null)
            {
                result.AddError("--update-docs and --update cannot be combined.");
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

            if (parseResult.GetValue(updateDocs))
            {
                return Update(DocumentAbove(Environment.CurrentDirectory) ?? DocumentAbove(AppContext.BaseDirectory), output);
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
            output.WriteLine($"No such file: {file ?? $"{ConfigurationReference.Document} next to ReactiveIngest.sln"}");
            return ExitCodes.Failure;
        }

        File.WriteAllText(file, ConfigurationReference.Replace(File.ReadAllText(file)));
        output.WriteLine($"Updated the configuration reference in {Path.GetFullPath(file)}.");
        return ExitCodes.Success;
    }

    private static string? DocumentAbove(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveIngest.sln")))
            {
                return Path.Combine(dir.FullName, ConfigurationReference.Document);
            }
        }

        return null;
    }
}
