namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// <c>config-reference</c>: prints the configuration reference as markdown; <c>--update-readme</c> rewrites the text
/// between the markers of the repository's README.md (found above the working directory, which <c>dotnet run</c> sets to
/// the project's folder); <c>--update FILE</c> does the same for FILE.
/// </summary>
public static class ConfigurationReferenceCommand
{
    /// <summary>The command's name, the first argument.</summary>
    public const string Name = "config-reference";

    /// <summary>True when <paramref name="args"/> ask for this command.</summary>
    public static bool IsRequested(string[] args) => args is [Name, ..];

    /// <summary>Runs the command; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        switch (args)
        {
            case [Name]:
                output.Write(ConfigurationReference.Markdown());
                return 0;
            case [Name, "--update-readme"]:
                return Update(ReadmeAbove(Environment.CurrentDirectory) ?? ReadmeAbove(AppContext.BaseDirectory), output);
            case [Name, "--update", var file]:
                return Update(file, output);
            default:
                output.WriteLine($"usage: {Name} [--update-readme | --update FILE]");
                return 2;
        }
    }

    private static int Update(string? file, TextWriter output)
    {
        if (file is null || !File.Exists(file))
        {
            output.WriteLine($"No such file: {file ?? "README.md next to ReactiveIngest.sln"}");
            return 1;
        }

        File.WriteAllText(file, ConfigurationReference.Replace(File.ReadAllText(file)));
        output.WriteLine($"Updated the configuration reference in {Path.GetFullPath(file)}.");
        return 0;
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
