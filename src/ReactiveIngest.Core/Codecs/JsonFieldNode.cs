using System.Text;

namespace ReactiveIngest.Core.Codecs;

/// <summary>One property in the mapping tree of <see cref="JsonFieldMap"/>.</summary>
internal sealed class JsonFieldNode
{
    private readonly List<JsonFieldNode> _children = [];

    public JsonFieldNode(string name, JsonFieldRole role)
    {
        Name = name;
        Utf8Name = Encoding.UTF8.GetBytes(name);
        Role = role;
    }

    /// <summary>The property name.</summary>
    public string Name { get; }

    /// <summary>The property name as UTF-8, compared with <c>Utf8JsonReader.ValueTextEquals</c>.</summary>
    public byte[] Utf8Name { get; }

    /// <summary>What the property means.</summary>
    public JsonFieldRole Role { get; set; }

    /// <summary>The tag key (for <see cref="JsonFieldRole.Tag"/>) or the metric name (for <see cref="JsonFieldRole.Metric"/>).</summary>
    public string? Label { get; set; }

    /// <summary>The dotted path from the root, for error details.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Children, fixed by <see cref="Freeze"/>.</summary>
    public JsonFieldNode[] Children { get; private set; } = [];

    public JsonFieldNode? Find(string name)
    {
        foreach (var child in _children)
        {
            if (string.Equals(child.Name, name, StringComparison.Ordinal))
            {
                return child;
            }
        }

        return null;
    }

    public void Add(JsonFieldNode child) => _children.Add(child);

    public void Freeze()
    {
        Children = [.. _children];
        foreach (var child in Children)
        {
            child.Freeze();
        }
    }
}
