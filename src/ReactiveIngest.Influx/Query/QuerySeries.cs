namespace ReactiveIngest.Influx.Query;

/// <summary>One series of a query result: the measurement, the GROUP BY tags and the rows.</summary>
/// <param name="Name">The measurement (or the name InfluxDB gives the series).</param>
/// <param name="Tags">The GROUP BY tag values of this series (empty without GROUP BY).</param>
/// <param name="Columns">The column names.</param>
/// <param name="Rows">The rows.</param>
public sealed record QuerySeries(string Name, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Columns, IReadOnlyList<QueryRow> Rows);
