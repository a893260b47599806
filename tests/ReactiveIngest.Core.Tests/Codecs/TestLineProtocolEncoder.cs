using System.Globalization;
using System.Text;

namespace ReactiveIngest.Core.Tests.Codecs;

/// <summary>
/// Test-only line-protocol writer (the production encoder lives in ReactiveIngest.Influx). Escapes per the
/// InfluxDB reference: measurement , space \; tag keys, tag values and field keys , = space \.
/// </summary>
internal static class TestLineProtocolEncoder
{
    public static void AppendLine(
        StringBuilder builder,
        string measurement,
        IEnumerable<(string Key, string Value)> tags,
        IEnumerable<(string Key, TestFieldValue Value)> fields,
        long? timestamp)
    {
        builder.Append(Escape(measurement, "\\, "));
        foreach (var (key, value) in tags)
        {
            builder.Append(',').Append(Escape(key, "\\,= ")).Append('=').Append(Escape(value, "\\,= "));
        }

        var first = true;
        foreach (var (key, value) in fields)
        {
            builder.Append(first ? ' ' : ',');
            first = false;
            builder.Append(Escape(key, "\\,= ")).Append('=');
            switch (value.Kind)
            {
                case TestFieldKind.Float:
                    builder.Append(value.Float.ToString("R", CultureInfo.InvariantCulture));
                    break;
                case TestFieldKind.Integer:
                    builder.Append(value.Integer.ToString(CultureInfo.InvariantCulture)).Append('i');
                    break;
                case TestFieldKind.Boolean:
                    builder.Append(value.Boolean ? "true" : "false");
                    break;
                case TestFieldKind.String:
                    builder.Append('"').Append(Escape(value.Text!, "\\\"")).Append('"');
                    break;
            }
        }

        if (timestamp is { } ts)
        {
            builder.Append(' ').Append(ts.ToString(CultureInfo.InvariantCulture));
        }

        builder.Append('\n');
    }

    private static string Escape(string text, string special)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (special.Contains(c, StringComparison.Ordinal))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}
