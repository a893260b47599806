using System.Text;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// The configuration reference: every key the service binds under <c>ReactiveIngest:</c>, its type, default,
/// environment-variable form and description, generated from the options classes and their XML doc comments so it
/// cannot drift from the code. <see cref="Document"/> carries it between <see cref="StartMarker"/> and <see cref="EndMarker"/>.
/// </summary>
public static class ConfigurationReference
{
    /// <summary>The file, relative to the repository root (the directory of ReactiveIngest.sln), that carries the reference.</summary>
    public const string Document = "docs/configuration.md";

    /// <summary>The line before the generated text in <see cref="Document"/>.</summary>
    public const string StartMarker = "<!-- config-reference:start -->";

    /// <summary>The line after the generated text in <see cref="Document"/>.</summary>
    public const string EndMarker = "<!-- config-reference:end -->";

    /// <summary>The command that prints the reference.</summary>
    public const string Command = "dotnet run --project src/ReactiveIngest.Service -- config-reference";

    /// <summary>The command that rewrites <see cref="Document"/>'s reference in place.</summary>
    public const string UpdateCommand = Command + " --update-docs";

    private static readonly Lazy<IReadOnlyList<ConfigurationKey>> AllKeys = new(() =>
    {
        var docs = new XmlDocumentation();
        return [.. ConfigurationSections.All().SelectMany(s => ConfigurationWalker.Keys(s, docs))];
    });

    /// <summary>Every key, grouped by section in path order.</summary>
    public static IReadOnlyList<ConfigurationKey> Keys() => AllKeys.Value;

    /// <summary>The reference as markdown: a table per section.</summary>
    public static string Markdown()
    {
        var text = new StringBuilder();
        text.Append("<!-- Generated from the options classes by `").Append(Command).Append("`; do not edit by hand. -->\n");
        text.Append("Lists use indexes (`N`, `M` = 0, 1, …), maps take any name (`{name}`). An environment variable replaces each `:` by `__`. ");
        text.Append("A duration is ").Append(Duration.Forms).Append(". ");
        text.Append("Start-up fails, naming the key, on a key no option has (`validate` checks without starting).\n");
        foreach (var section in Keys().GroupBy(k => k.Section))
        {
            text.Append('\n').Append("### `").Append(section.Key).Append("`\n\n");
            text.Append("| key | type | default | environment variable | description |\n");
            text.Append("|---|---|---|---|---|\n");
            foreach (var key in section)
            {
                var relative = key.Path[(section.Key.Length + 1)..];
                text.Append("| `").Append(relative).Append("` | ").Append(key.Type).Append(" | ").Append(Code(key.Default)).Append(" | `")
                    .Append(key.EnvironmentVariable).Append("` | ").Append(key.Description).Append(" |\n");
            }
        }

        return text.ToString();
    }

    /// <summary>The text between the markers of <paramref name="document"/>, or null when a marker is missing.</summary>
    public static string? Between(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = document.IndexOf(StartMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            return null;
        }

        return document[(start + StartMarker.Length)..end].Trim('\n');
    }

    /// <summary><paramref name="document"/> with the text between the markers replaced by the current reference.</summary>
    public static string Replace(string document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var start = document.IndexOf(StartMarker, StringComparison.Ordinal);
        var end = document.IndexOf(EndMarker, StringComparison.Ordinal);
        if (start < 0 || end < start)
        {
            throw new InvalidOperationException($"The file has no '{StartMarker}' … '{EndMarker}' pair.");
        }

        return document[..(start + StartMarker.Length)] + "\n" + Markdown().TrimEnd('\n') + "\n" + document[end..];
    }

    /// <summary>Null when <paramref name="path"/> (colon form) is a key of the reference; otherwise why not.</summary>
    public static string? Problem(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (KeyPattern.Find(Keys(), path) is not null)
        {
            return null;
        }

        var segments = path.Split(':');
        var section = ConfigurationSections.All().FirstOrDefault(s => segments.Length > s.Path.Split(':').Length && KeyPattern.Matches(s.Path.Split(':'), segments[..s.Path.Split(':').Length]));
        return section is null
            ? $"{path}: no options class is bound to this section"
            : $"{path}: not a key of {section.Path} ({string.Join(", ", section.Types.Select(t => t.Name))}); see `{Command}`";
    }

    private static string Code(string value) => value == "–" ? value : $"`{value.Replace("|", "\\|", StringComparison.Ordinal)}`";
}
