using System.Text;

namespace ReactiveIngest.Service.Analytics;

/// <summary>Checks topic names for publishing.</summary>
internal static class AlertTopics
{
    /// <summary>Null when <paramref name="topic"/> can be published to on <paramref name="type"/>, else why not.</summary>
    public static string? Problem(AlertTargetType type, string? topic)
    {
        if (string.IsNullOrEmpty(topic))
        {
            return "must not be empty";
        }

        if (type == AlertTargetType.Mqtt)
        {
            if (topic.IndexOfAny(['+', '#', '\0']) >= 0)
            {
                return $"'{topic}' is not an MQTT topic name: wildcards '+' and '#' (and U+0000) are not allowed in a publish";
            }

            if (topic.StartsWith('$'))
            {
                return $"'{topic}' starts with '$', which brokers reserve for themselves";
            }

            return Encoding.UTF8.GetByteCount(topic) > ushort.MaxValue ? "is longer than 65535 bytes" : null;
        }

        if (topic.Length > 249 || topic is "." or ".." || topic.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '.' and not '_' and not '-'))
        {
            return $"'{topic}' is not a Kafka topic name: 1 to 249 of ASCII letters, digits, '.', '_' and '-', and not '.' or '..'";
        }

        return null;
    }
}
