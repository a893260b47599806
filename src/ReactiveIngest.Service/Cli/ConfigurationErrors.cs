using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Configuration;

namespace ReactiveIngest.Service.Cli;

/// <summary>Turns the exceptions that mean "the configuration is invalid" into one line per key.</summary>
public static class ConfigurationErrors
{
    /// <summary>The problems <paramref name="exception"/> reports, or null when it is not a configuration error.</summary>
    public static IReadOnlyList<string>? Of(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            InvalidConfigurationException e => e.Problems,
            OptionsValidationException e => [.. e.Failures.Select(OneLine)],
            AggregateException e when e.InnerExceptions.Count > 0 && e.InnerExceptions.All(i => Of(i) is not null) => [.. e.InnerExceptions.SelectMany(i => Of(i)!)],
            // The binder's own conversion failure, should a value get past ConfigurationChecker.
            InvalidOperationException e when e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal) =>
                [OneLine(e.InnerException is null ? e.Message : $"{e.Message} {e.InnerException.Message}")],
            _ => null,
        };
    }

    /// <summary>Writes <paramref name="problems"/> one per line, then what to do.</summary>
    public static void Write(IReadOnlyList<string> problems, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(error);
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }

        error.WriteLine($"{problems.Count} configuration problem{(problems.Count == 1 ? "" : "s")}; nothing was started. Every key and its type: the `{ConfigurationReferenceCommand.Name}` command.");
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
