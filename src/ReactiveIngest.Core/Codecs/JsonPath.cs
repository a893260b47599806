using System.Text;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// A simple JSON path: property names separated by dots, optionally starting with <c>$.</c>
/// (<c>deviceId</c>, <c>meta.device</c>, <c>$.meta.device</c>). No array indexes, wildcards or quoting:
/// a property name containing a dot cannot be addressed.
/// </summary>
public sealed class JsonPath
{
    private JsonPath(string text, string[] segments)
    {
        Text = text;
        Segments = segments;
        Utf8Segments = Array.ConvertAll(segments, Encoding.UTF8.GetBytes);
    }

    /// <summary>The path as configured.</summary>
    public string Text { get; }

    /// <summary>The property names from the root.</summary>
    public IReadOnlyList<string> Segments { get; }

    /// <summary>The property names as UTF-8 (what the reader compares against).</summary>
    internal byte[][] Utf8Segments { get; }

    /// <summary>The last property name.</summary>
    public string Leaf => Segments[^1];

    /// <summary>Parses <paramref name="text"/>; throws <see cref="FormatException"/> when invalid.</summary>
    public static JsonPath Parse(string text) =>
        TryParse(text, out var path, out var error) ? path : throw new FormatException(error);

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out JsonPath? path, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        path = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the path is empty";
            return false;
        }

        var body = text;
        if (body.StartsWith("$.", StringComparison.Ordinal))
        {
            body = body[2..];
        }
        else if (body == "$")
        {
            error = "'$' (the whole document) is not a field path";
            return false;
        }

        var segments = body.Split('.');
        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                error = $"'{text}' has an empty segment";
                return false;
            }

            if (segment.AsSpan().IndexOfAny("[]*") >= 0)
            {
                error = $"'{text}' uses array indexes or wildcards; only dotted property names are supported";
                return false;
            }
        }

        path = new JsonPath(text, segments);
        error = null;
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => Text;
}
