using System.Globalization;
using System.Text.Json;
using ReactiveIngest.Simulator.Servers;
using Xunit;

namespace ReactiveIngest.TestSupport.Servers;

/// <summary>
/// Reads rows back from influxd for assertions, waiting for complete ones. InfluxDB 1.x applies a write field by
/// field and batch by batch, so a query that runs while the pipeline writes can see a row with some fields still null,
/// or only part of the rows; a test that reads stored data must wait until what it expects is all there.
/// </summary>
public static class StoredRows
{
    /// <summary>How long <see cref="WaitForAsync"/> waits by default.</summary>
    public static readonly TimeSpan DefaultPatience = TimeSpan.FromSeconds(120);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs <paramref name="influxQl"/> once (times in epoch ms) and returns every row of every series, nulls included.</summary>
    public static async Task<IReadOnlyList<StoredRow>> QueryRowsAsync(this InfluxServer server, string database, string influxQl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        using var doc = JsonDocument.Parse(await server.QueryAsync(influxQl, database, cancellationToken, epoch: "ms"));
        var result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            throw new InvalidOperationException($"influxd error for `{influxQl}`: {error.GetString()}");
        }

        var rows = new List<StoredRow>();
        if (!result.TryGetProperty("series", out var series))
        {
            return rows;
        }

        foreach (var s in series.EnumerateArray())
        {
            var name = s.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
            var tags = s.TryGetProperty("tags", out var t)
                ? t.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? string.Empty, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal);
            var columns = s.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? string.Empty).ToArray();
            var timeColumn = Array.IndexOf(columns, "time");
            foreach (var value in s.GetProperty("values").EnumerateArray())
            {
                var cells = value.EnumerateArray().Select(v => v.Clone()).ToArray();
                var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Length; i++)
                {
                    if (i != timeColumn)
                    {
                        fields[columns[i]] = cells[i];
                    }
                }

                rows.Add(new StoredRow(name, tags, timeColumn < 0 ? 0 : cells[timeColumn].GetInt64(), fields));
            }
        }

        return rows;
    }

    /// <summary>
    /// Polls <paramref name="influxQl"/> until no row has a null column and <paramref name="incomplete"/> returns null
    /// (it returns what is still missing otherwise, e.g. "3 of 12 windows"), then returns the rows. Fails the test after
    /// <paramref name="patience"/> (default <see cref="DefaultPatience"/>) naming <paramref name="what"/> and what was incomplete.
    /// </summary>
    public static async Task<IReadOnlyList<StoredRow>> WaitForAsync(
        this InfluxServer server, string database, string influxQl, string what, Func<IReadOnlyList<StoredRow>, string?> incomplete, TimeSpan? patience = null)
    {
        ArgumentNullException.ThrowIfNull(incomplete);
        var limit = patience ?? DefaultPatience;
        var deadline = DateTime.UtcNow + limit;
        while (true)
        {
            var rows = await server.QueryRowsAsync(database, influxQl);
            var missing = Describe(rows.Where(r => r.NullFields.Any()).Select(r => $"{r} has null {string.Join(", ", r.NullFields)}").ToList(), "rows with null fields")
                ?? incomplete(rows);
            if (missing is null)
            {
                return rows;
            }

            if (DateTime.UtcNow >= deadline)
            {
                Assert.Fail(string.Create(CultureInfo.InvariantCulture, $"{what}: still incomplete after {limit.TotalSeconds:0} s: {missing} (query: {influxQl})"));
            }

            await Task.Delay(PollInterval);
        }
    }

    /// <summary>Null when <paramref name="problems"/> is empty, else their number and the first few of them, headed by <paramref name="kind"/>.</summary>
    public static string? Describe(IReadOnlyCollection<string> problems, string kind)
    {
        ArgumentNullException.ThrowIfNull(problems);
        const int Shown = 8;
        return problems.Count == 0
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"{problems.Count} {kind}: {string.Join("; ", problems.Take(Shown))}{(problems.Count > Shown ? "; …" : string.Empty)}");
    }

    /// <summary>
    /// What differs between the counts found and the counts expected per key: missing keys, wrong counts and (unless
    /// <paramref name="allowUnexpected"/>) keys not expected; null when they agree.
    /// </summary>
    public static string? CountMismatches<TKey>(IReadOnlyDictionary<TKey, long> found, IReadOnlyDictionary<TKey, long> expected, string kind, bool allowUnexpected = false)
        where TKey : notnull
    {
        ArgumentNullException.ThrowIfNull(found);
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new List<string>();
        foreach (var (key, count) in expected)
        {
            if (!found.TryGetValue(key, out var actual))
            {
                problems.Add($"{key} missing");
            }
            else if (actual != count)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{key} count {actual} of {count}"));
            }
        }

        if (!allowUnexpected)
        {
            problems.AddRange(found.Keys.Where(k => !expected.ContainsKey(k)).Select(k => $"{k} not expected"));
        }

        return Describe(problems, $"of {expected.Count} {kind} differ");
    }
}
