namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// The mapping of <see cref="JsonCodecOptions"/> compiled into a tree of property names, so the decoder
/// walks the document once and knows at each property what it means.
/// </summary>
internal sealed class JsonFieldMap
{
    private JsonFieldMap(JsonFieldNode root, bool implicitMetrics)
    {
        Root = root;
        ImplicitMetrics = implicitMetrics;
    }

    /// <summary>The document root (role <see cref="JsonFieldRole.Parent"/>).</summary>
    public JsonFieldNode Root { get; }

    /// <summary>Whether unmapped numeric top-level fields are metrics.</summary>
    public bool ImplicitMetrics { get; }

    public static bool TryBuild(JsonCodecOptions options, out JsonFieldMap? map, out List<string> errors)
    {
        errors = [];
        var root = new JsonFieldNode("$", JsonFieldRole.Parent);
        const string prefix = nameof(JsonCodecOptions) + ".";
        Insert(root, options.DeviceIdPath, JsonFieldRole.DeviceId, null, prefix + nameof(options.DeviceIdPath), errors);
        Insert(root, options.TimestampPath, JsonFieldRole.Timestamp, null, prefix + nameof(options.TimestampPath), errors);
        foreach (var (key, path) in options.Tags)
        {
            Insert(root, path, JsonFieldRole.Tag, key, $"{prefix}{nameof(options.Tags)}[{key}]", errors);
        }

        if (options.Metrics is not null)
        {
            for (var i = 0; i < options.Metrics.Count; i++)
            {
                Insert(root, options.Metrics[i], JsonFieldRole.Metric, null, $"{prefix}{nameof(options.Metrics)}[{i}]", errors);
            }
        }

        if (options.MetricsPath is not null)
        {
            Insert(root, options.MetricsPath, JsonFieldRole.MetricsObject, null, prefix + nameof(options.MetricsPath), errors);
        }

        if (errors.Count > 0)
        {
            map = null;
            return false;
        }

        root.Freeze();
        map = new JsonFieldMap(root, options.Metrics is null && options.MetricsPath is null);
        return true;
    }

    private static void Insert(JsonFieldNode root, string path, JsonFieldRole role, string? label, string setting, List<string> errors)
    {
        if (!JsonPath.TryParse(path, out var parsed, out var error))
        {
            errors.Add($"{setting}: {error}");
            return;
        }

        var node = root;
        var segments = parsed.Segments;
        for (var i = 0; i < segments.Count; i++)
        {
            var last = i == segments.Count - 1;
            var child = node.Find(segments[i]);
            if (child is null)
            {
                child = new JsonFieldNode(segments[i], last ? role : JsonFieldRole.Parent)
                {
                    Label = last ? label ?? segments[i] : null,
                    Path = string.Join('.', segments.Take(i + 1)),
                };
                node.Add(child);
            }
            else if (last || child.Role != JsonFieldRole.Parent)
            {
                errors.Add($"{setting}: '{path}' overlaps another mapped field at '{child.Path}' ({child.Role}); each field can have one meaning");
                return;
            }

            node = child;
        }
    }
}
