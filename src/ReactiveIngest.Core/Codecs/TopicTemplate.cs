using ReactiveIngest.Core.Model;

namespace ReactiveIngest.Core.Codecs;

/// <summary>
/// Extracts a device id and tags from an MQTT-style topic, e.g. the template
/// <c>sites/{site}/devices/{deviceId}/telemetry</c> matches <c>sites/berlin/devices/d7/telemetry</c> and yields
/// device id <c>d7</c> and the tag <c>site=berlin</c>.
/// <para>
/// Levels are separated by <c>/</c>. A level is a literal (matched exactly, case-sensitive), a placeholder
/// <c>{name}</c> (matches exactly one non-empty level, like MQTT's <c>+</c>; <c>{deviceId}</c> is the device
/// id, any other name becomes a tag), <c>+</c> (one level, not captured) or, as the last level only, <c>#</c>
/// (any number of remaining levels, including none). A topic that does not match has the reason
/// <see cref="Validation.RejectReason.TopicMismatch"/>.
/// </para>
/// <para>
/// Matches are cached per topic (bounded by <see cref="CacheCapacity"/> topics; beyond it topics are matched
/// without caching), so a fleet's stable topics cost one dictionary lookup per message. Thread-safe.
/// </para>
/// </summary>
public sealed class TopicTemplate
{
    /// <summary>The placeholder name that holds the device id.</summary>
    public const string DeviceIdPlaceholder = "deviceId";

    /// <summary>How many distinct topics' results are cached.</summary>
    public const int CacheCapacity = 65_536;

    private readonly Level[] _levels;
    private readonly bool _trailingWildcard;
    private readonly BoundedCache<TopicMatch?> _cache = new(CacheCapacity);

    private TopicTemplate(string template, Level[] levels, bool trailingWildcard, IReadOnlyList<string> placeholders)
    {
        Template = template;
        _levels = levels;
        _trailingWildcard = trailingWildcard;
        Placeholders = placeholders;
    }

    /// <summary>The template text.</summary>
    public string Template { get; }

    /// <summary>The placeholder names in order of appearance.</summary>
    public IReadOnlyList<string> Placeholders { get; }

    /// <summary>Whether the template has a <c>{deviceId}</c> placeholder.</summary>
    public bool HasDeviceId
    {
        get
        {
            foreach (var level in _levels)
            {
                if (level.Kind == LevelKind.DeviceId)
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Parses a template; throws <see cref="FormatException"/> describing the first problem.</summary>
    public static TopicTemplate Parse(string template) =>
        TryParse(template, out var result, out var error) ? result : throw new FormatException(error);

    /// <summary>Parses a template; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string? template, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TopicTemplate? result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? error)
    {
        result = null;
        if (string.IsNullOrEmpty(template))
        {
            error = "the topic template is empty";
            return false;
        }

        var parts = template.Split('/');
        var levels = new List<Level>(parts.Length);
        var names = new List<string>();
        var trailing = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part == "#")
            {
                if (i != parts.Length - 1)
                {
                    error = $"'#' must be the last level of the topic template '{template}'";
                    return false;
                }

                trailing = true;
            }
            else if (part == "+")
            {
                levels.Add(new Level(LevelKind.Any, string.Empty));
            }
            else if (part.Length >= 2 && part[0] == '{' && part[^1] == '}')
            {
                var name = part[1..^1];
                if (name.Length == 0 || name.AsSpan().IndexOfAny("{}+#") >= 0)
                {
                    error = $"placeholder '{part}' in the topic template '{template}' needs a plain name, e.g. {{site}}";
                    return false;
                }

                if (names.Contains(name))
                {
                    error = $"placeholder '{{{name}}}' appears twice in the topic template '{template}'";
                    return false;
                }

                names.Add(name);
                levels.Add(new Level(name == DeviceIdPlaceholder ? LevelKind.DeviceId : LevelKind.Tag, name));
            }
            else if (part.AsSpan().IndexOfAny("{}+#") >= 0)
            {
                error = $"level '{part}' of the topic template '{template}' mixes text with a placeholder or wildcard; a placeholder must be a whole level";
                return false;
            }
            else
            {
                levels.Add(new Level(LevelKind.Literal, part));
            }
        }

        result = new TopicTemplate(template, [.. levels], trailing, names);
        error = null;
        return true;
    }

    /// <summary>Matches <paramref name="topic"/>; false when it does not fit the template.</summary>
    public bool TryMatch(string topic, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TopicMatch? match)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (_cache.TryGetValue(topic, out match))
        {
            return match is not null;
        }

        match = MatchUncached(topic);
        _cache.Add(topic, match);
        return match is not null;
    }

    private TopicMatch? MatchUncached(string topic)
    {
        string? deviceId = null;
        List<Tag>? tags = null;
        var rest = topic.AsSpan();
        var position = 0;
        for (var i = 0; i < _levels.Length; i++)
        {
            if (position > topic.Length)
            {
                return null; // the topic has fewer levels than the template
            }

            var remaining = rest[position..];
            var slash = remaining.IndexOf('/');
            var level = slash < 0 ? remaining : remaining[..slash];
            var next = slash < 0 ? topic.Length + 1 : position + slash + 1;
            var expected = _levels[i];
            switch (expected.Kind)
            {
                case LevelKind.Literal:
                    if (!level.SequenceEqual(expected.Text))
                    {
                        return null;
                    }

                    break;
                case LevelKind.Any:
                    break;
                case LevelKind.DeviceId:
                    if (level.IsEmpty)
                    {
                        return null;
                    }

                    deviceId = level.ToString();
                    break;
                case LevelKind.Tag:
                    if (level.IsEmpty)
                    {
                        return null;
                    }

                    (tags ??= []).Add(new Tag(expected.Text, level.ToString()));
                    break;
            }

            position = next;
        }

        // All template levels consumed: without '#', the topic must have no more levels.
        if (!_trailingWildcard && position <= topic.Length)
        {
            return null;
        }

        return new TopicMatch(deviceId, tags is null ? TagSet.Empty : TagSet.Create(tags));
    }

    /// <inheritdoc />
    public override string ToString() => Template;

    private enum LevelKind
    {
        Literal,
        Any,
        DeviceId,
        Tag,
    }

    private readonly record struct Level(LevelKind Kind, string Text);
}
