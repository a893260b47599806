using System.Globalization;
using System.Text;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;

namespace ReactiveIngest.Influx.Tests.Support;

/// <summary>
/// A small, independent line-protocol reader for tests, following InfluxDB 1.x: a special character is
/// escaped when the character before it is a backslash; unescaping removes the backslash only before the
/// characters special in that position; string field values unescape <c>\"</c> and <c>\\</c>.
/// </summary>
internal static class LineProtocolParser
{
    public static LinePoint Parse(string line, WritePrecision precision = WritePrecision.Nanoseconds)
    {
        var i = 0;
        var measurement = Unescape(ReadUntil(line, ref i, [',', ' ']), [',', ' ']);
        var tags = new List<Tag>();
        while (line[i] == ',')
        {
            i++;
            var key = Unescape(ReadUntil(line, ref i, ['=']), [',', '=', ' ']);
            Expect(line, ref i, '=');
            var value = Unescape(ReadUntil(line, ref i, [',', ' ']), [',', '=', ' ']);
            tags.Add(new Tag(key, value));
        }

        Expect(line, ref i, ' ');
        var fields = new List<Field>();
        while (true)
        {
            var key = Unescape(ReadUntil(line, ref i, ['=']), [',', '=', ' ']);
            Expect(line, ref i, '=');
            fields.Add(new Field(key, ReadFieldValue(line, ref i)));
            if (i < line.Length && line[i] == ',')
            {
                i++;
                continue;
            }

            break;
        }

        long? timestamp = null;
        if (i < line.Length)
        {
            Expect(line, ref i, ' ');
            timestamp = long.Parse(line.AsSpan(i), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) * precision.NanosPerUnit();
        }

        return new LinePoint(measurement, TagSet.Create(tags), fields, timestamp);
    }

    private static string ReadUntil(string line, ref int i, char[] stops)
    {
        var start = i;
        while (i < line.Length && !(Array.IndexOf(stops, line[i]) >= 0 && (i == start || line[i - 1] != '\\')))
        {
            i++;
        }

        return line[start..i];
    }

    private static string Unescape(string text, char[] specials)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && i + 1 < text.Length && Array.IndexOf(specials, text[i + 1]) >= 0)
            {
                continue;
            }

            builder.Append(text[i]);
        }

        return builder.ToString();
    }

    private static FieldValue ReadFieldValue(string line, ref int i)
    {
        if (line[i] == '"')
        {
            i++;
            var builder = new StringBuilder();
            while (line[i] != '"')
            {
                if (line[i] == '\\' && (line[i + 1] == '"' || line[i + 1] == '\\'))
                {
                    i++;
                }

                builder.Append(line[i]);
                i++;
            }

            i++;
            return FieldValue.String(builder.ToString());
        }

        var start = i;
        while (i < line.Length && line[i] != ',' && line[i] != ' ')
        {
            i++;
        }

        var token = line[start..i];
        return token switch
        {
            "true" or "t" or "T" or "True" or "TRUE" => FieldValue.Boolean(true),
            "false" or "f" or "F" or "False" or "FALSE" => FieldValue.Boolean(false),
            _ when token.EndsWith('i') => FieldValue.Integer(long.Parse(token[..^1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture)),
            _ when token.EndsWith('u') => FieldValue.UInteger(ulong.Parse(token[..^1], NumberStyles.None, CultureInfo.InvariantCulture)),
            _ => FieldValue.Float(double.Parse(token, NumberStyles.Float, CultureInfo.InvariantCulture)),
        };
    }

    private static void Expect(string line, ref int i, char c)
    {
        if (i >= line.Length || line[i] != c)
        {
            throw new FormatException($"Expected '{c}' at {i} in: {line}");
        }

        i++;
    }
}
