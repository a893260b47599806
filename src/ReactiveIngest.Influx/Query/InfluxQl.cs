using System.Text;

namespace ReactiveIngest.Influx.Query;

/// <summary>
/// Helpers for InfluxQL text. Values always go in bound parameters (<c>$name</c>, see
/// <see cref="InfluxQueryClient"/>); only identifiers, which InfluxQL cannot bind, are quoted here.
/// </summary>
public static class InfluxQl
{
    /// <summary>
    /// Quotes an identifier (measurement, tag or field name) as <c>"…"</c>, escaping backslashes and
    /// double quotes, so that no name can end the identifier and add InfluxQL of its own.
    /// </summary>
    /// <exception cref="ArgumentException">The name contains a line break (InfluxQL identifiers cannot).</exception>
    public static string QuoteIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("An InfluxQL identifier cannot contain a line feed.", nameof(name));
        }

        var builder = new StringBuilder(name.Length + 2).Append('"');
        foreach (var c in name)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append('"').ToString();
    }
}
