using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReactiveIngest.IntegrationTests.Compose;

/// <summary>The parts of docker-compose.yml the checks need, read with YamlDotNet's node model.</summary>
public sealed partial class ComposeFile
{
    private readonly YamlMappingNode _root;
    private readonly YamlMappingNode _services;

    private ComposeFile(YamlMappingNode root)
    {
        _root = root;
        _services = (YamlMappingNode)root.Children[new YamlScalarNode("services")];
        NamedVolumes = root.Children.TryGetValue(new YamlScalarNode("volumes"), out var v) && v is YamlMappingNode m
            ? [.. m.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)]
            : [];
    }

    /// <summary>Names of the top-level named volumes.</summary>
    public IReadOnlyList<string> NamedVolumes { get; }

    /// <summary>Service names.</summary>
    public IReadOnlyList<string> Services => [.. _services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!)];

    /// <summary>Parses a compose file.</summary>
    public static ComposeFile Load(string path) => new(LoadMapping(path));

    /// <summary>The root mapping of a YAML file (the other configuration files of the stack, too).</summary>
    public static YamlMappingNode LoadMapping(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>A service's <c>environment</c> (map form), with <c>${VAR:-default}</c> resolved to its default.</summary>
    public IReadOnlyDictionary<string, string> Environment(string service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Service(service).Children.TryGetValue(new YamlScalarNode("environment"), out var env))
        {
            foreach (var (key, value) in ((YamlMappingNode)env).Children)
            {
                result[((YamlScalarNode)key).Value!] = ResolveDefaults(((YamlScalarNode)value).Value ?? string.Empty);
            }
        }

        return result;
    }

    /// <summary>
    /// The <c>ReactiveIngest__…</c> variables of <paramref name="service"/> as configuration paths and values (defaults
    /// resolved), except the <c>…_FILE</c> ones, which name secret files inside the container.
    /// </summary>
    public IEnumerable<KeyValuePair<string, string?>> ServiceSettings(string service) =>
        Environment(service)
            .Where(kv => kv.Key.StartsWith("ReactiveIngest__", StringComparison.Ordinal) && !kv.Key.EndsWith("_FILE", StringComparison.Ordinal))
            .Select(kv => new KeyValuePair<string, string?>(kv.Key.Replace("__", ":", StringComparison.Ordinal), kv.Value));

    /// <summary>A service's volume entries, short syntax <c>source:target[:mode]</c>.</summary>
    public IReadOnlyList<(string Source, string Target)> Volumes(string service) =>
        [.. Sequence(service, "volumes").Select(v =>
        {
            var parts = v.Split(':');
            return (parts[0], parts[1]);
        })];

    /// <summary>
    /// A service's published ports, short syntax <c>[address:]host:container</c> with <c>${VAR:-default}</c> resolved
    /// to its default; <c>Address</c> is null when the entry names none (then Docker binds every interface).
    /// </summary>
    public IReadOnlyList<(string? Address, int Host, int Container)> Ports(string service) =>
        [.. Sequence(service, "ports").Select(p =>
        {
            var parts = ResolveDefaults(p).Split(':');
            return (parts.Length > 2 ? string.Join(':', parts[..^2]) : null,
                int.Parse(parts[^2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[^1], System.Globalization.CultureInfo.InvariantCulture));
        })];

    /// <summary>A service's published ports as written, before variables are resolved.</summary>
    public IReadOnlyList<string> RawPorts(string service) => Sequence(service, "ports");

    /// <summary>The secrets a service is granted (short syntax: names, mounted at <c>/run/secrets/name</c>).</summary>
    public IReadOnlyList<string> Secrets(string service) => Sequence(service, "secrets");

    /// <summary>The top-level secrets: name → the file as written (<c>${VAR:-default}</c> kept).</summary>
    public IReadOnlyDictionary<string, string> SecretFiles =>
        _root.Children.TryGetValue(new YamlScalarNode("secrets"), out var node)
            ? ((YamlMappingNode)node).Children.ToDictionary(
                kv => ((YamlScalarNode)kv.Key).Value!,
                kv => ((YamlScalarNode)((YamlMappingNode)kv.Value).Children[new YamlScalarNode("file")]).Value!,
                StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>A service's <c>environment</c> (map form) as written, before variables are resolved.</summary>
    public IReadOnlyDictionary<string, string> RawEnvironment(string service) =>
        Service(service).Children.TryGetValue(new YamlScalarNode("environment"), out var env)
            ? ((YamlMappingNode)env).Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => ((YamlScalarNode)kv.Value).Value ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Resolves each <c>${VAR:-default}</c> in <paramref name="value"/> to its default.</summary>
    public static string ResolveDefaults(string value) => DefaultPattern().Replace(value, m => m.Groups[1].Value);

    /// <summary>A service's <c>command</c> (sequence form).</summary>
    public IReadOnlyList<string> Command(string service) => Sequence(service, "command");

    /// <summary>A service's <c>depends_on</c> names.</summary>
    public IReadOnlyList<string> DependsOn(string service) =>
        Service(service).Children.TryGetValue(new YamlScalarNode("depends_on"), out var d)
            ? [.. ((YamlMappingNode)d).Children.Keys.Select(k => ((YamlScalarNode)k).Value!)]
            : [];

    /// <summary>A service's build context and Dockerfile, or null when it uses an image only.</summary>
    public (string Context, string Dockerfile)? Build(string service)
    {
        if (!Service(service).Children.TryGetValue(new YamlScalarNode("build"), out var b))
        {
            return null;
        }

        var map = (YamlMappingNode)b;
        return (((YamlScalarNode)map.Children[new YamlScalarNode("context")]).Value!, ((YamlScalarNode)map.Children[new YamlScalarNode("dockerfile")]).Value!);
    }

    /// <summary>Whether a service declares a health check.</summary>
    public bool HasHealthCheck(string service) => Service(service).Children.ContainsKey(new YamlScalarNode("healthcheck"));

    private YamlMappingNode Service(string name) => (YamlMappingNode)_services.Children[new YamlScalarNode(name)];

    private List<string> Sequence(string service, string key) =>
        Service(service).Children.TryGetValue(new YamlScalarNode(key), out var node)
            ? [.. ((YamlSequenceNode)node).Children.Select(c => ((YamlScalarNode)c).Value!)]
            : [];

    [GeneratedRegex(@"\$\{\w+:-([^}]*)\}")]
    private static partial Regex DefaultPattern();
}
