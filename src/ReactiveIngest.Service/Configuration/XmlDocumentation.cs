using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// Reads property summaries from the XML documentation files the build writes next to each assembly
/// (<c>GenerateDocumentationFile</c>), turning <c>&lt;see cref&gt;</c> and <c>&lt;c&gt;</c> into plain markdown on one line.
/// </summary>
public sealed partial class XmlDocumentation
{
    private readonly Dictionary<Assembly, IReadOnlyDictionary<string, string>> _files = [];

    /// <summary>The summary of <paramref name="property"/>, or an empty string when it has none.</summary>
    public string Summary(PropertyInfo property)
    {
        ArgumentNullException.ThrowIfNull(property);
        var declaring = property.DeclaringType!;
        var members = Load(declaring.Assembly);
        return members.TryGetValue($"P:{declaring.FullName!.Replace('+', '.')}.{property.Name}", out var summary) ? summary : string.Empty;
    }

    /// <summary>The path of the documentation file of <paramref name="assembly"/>.</summary>
    public static string FileOf(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        return Path.Combine(AppContext.BaseDirectory, assembly.GetName().Name + ".xml");
    }

    private IReadOnlyDictionary<string, string> Load(Assembly assembly)
    {
        if (_files.TryGetValue(assembly, out var members))
        {
            return members;
        }

        var file = FileOf(assembly);
        var loaded = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(file))
        {
            foreach (var member in XDocument.Load(file).Descendants("member"))
            {
                if (member.Attribute("name")?.Value is { } name && member.Element("summary") is { } summary)
                {
                    loaded[name] = Flatten(summary);
                }
            }
        }

        _files[assembly] = loaded;
        return loaded;
    }

    private static string Flatten(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(Render));
        return Whitespace().Replace(text, " ").Trim().Replace("|", "\\|", StringComparison.Ordinal);
    }

    private static string Render(XNode node) => node switch
    {
        XText t => t.Value,
        XElement { Name.LocalName: "see" or "seealso" } e when e.Attribute("cref")?.Value is { } cref => $"`{ShortName(cref)}`",
        XElement { Name.LocalName: "see" } e when e.Attribute("langword")?.Value is { } word => $"`{word}`",
        XElement { Name.LocalName: "paramref" or "typeparamref" } e => $"`{e.Attribute("name")?.Value}`",
        XElement { Name.LocalName: "c" or "code" } e => $"`{e.Value}`",
        XElement e => string.Concat(e.Nodes().Select(Render)),
        _ => string.Empty,
    };

    private static string ShortName(string cref)
    {
        var name = cref.Split('(')[0];
        return name[(name.LastIndexOf('.') + 1)..];
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
