namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// Matches configuration paths against the key patterns of the reference: <c>N</c>, <c>M</c>, … match a list index,
/// <c>{name}</c> any map key. Below a map of plain values (Kafka <c>Properties</c>, tag maps) the keys are the user's,
/// so anything deeper matches too.
/// </summary>
public static class KeyPattern
{
    /// <summary>The key of <paramref name="keys"/> whose pattern <paramref name="path"/> matches, or null.</summary>
    public static ConfigurationKey? Find(IEnumerable<ConfigurationKey> keys, string path)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(path);
        var segments = path.Split(':');
        return keys.FirstOrDefault(k => Matches(k.Path.Split(':'), segments, OpenMap(k)));
    }

    /// <summary>True when <paramref name="segments"/> matches <paramref name="pattern"/> segment by segment.</summary>
    public static bool Matches(string[] pattern, string[] segments) => Matches(pattern, segments, openEnded: false);

    /// <summary>True when <paramref name="segment"/> can stand for the pattern segment <paramref name="pattern"/>.</summary>
    public static bool SegmentMatches(string pattern, string segment)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(segment);
        return ConfigurationWalker.IsIndexPlaceholder(pattern) ? int.TryParse(segment, out var i) && i >= 0
            : pattern == "{name}" ? segment.Length > 0
            : pattern.Equals(segment, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True for a map of plain values, whose keys below the map are free-form.</summary>
    public static bool OpenMap(ConfigurationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return key.Path.EndsWith(":{name}", StringComparison.Ordinal);
    }

    private static bool Matches(string[] pattern, string[] segments, bool openEnded) =>
        (pattern.Length == segments.Length || (openEnded && segments.Length > pattern.Length))
        && pattern.Zip(segments).All(p => SegmentMatches(p.First, p.Second));
}
