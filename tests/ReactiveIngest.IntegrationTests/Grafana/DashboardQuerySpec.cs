using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using ReactiveIngest.IntegrationTests.Compose;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Outputs.Influx;
using ReactiveIngest.TestSupport.Kafka;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.IntegrationTests.Grafana;

/// <summary>
/// Every InfluxQL query of every provisioned dashboard (panel targets and template variables), with Grafana's
/// variables substituted, runs against the real influxd after a short simulated load and returns rows. The load is
/// stored data in the service's shape plus a few seconds of the real service writing its pipeline-health snapshots.
/// </summary>
public sealed partial class DashboardQuerySpec(InfluxFixture influx, KafkaMockClusterFixture kafka, ITestOutputHelper output)
    : IClassFixture<InfluxFixture>, IClassFixture<KafkaMockClusterFixture>
{
    private const string TimeFilter = "time >= now() - 30m";
    private const string Interval = "10s";

    [Fact]
    public void The_repository_should_provision_the_three_dashboards_with_queries()
    {
        var names = DashboardFiles.All().Select(Path.GetFileNameWithoutExtension).ToList();
        Assert.Equal(["device-detail", "fleet-overview", "pipeline-health"], names);
        Assert.All(DashboardFiles.All(), f => Assert.NotEmpty(DashboardFiles.PanelQueries(f)));
    }

    [Fact]
    public async Task Every_dashboard_query_should_return_rows_after_a_simulated_load()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("grafana");
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000L;
        using (var http = new HttpClient { BaseAddress = influx.Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) })
        using (var content = new StringContent(SimulatedLoad.LineProtocol(now, 300), Encoding.UTF8, "text/plain"))
        using (var write = await http.PostAsync(new Uri($"write?db={db}&precision=ns", UriKind.Relative), content))
        {
            Assert.Equal(HttpStatusCode.NoContent, write.StatusCode);
        }

        await HealthSnapshotLoad.RunAsync(influx, kafka, db);

        var failures = new List<string>();
        var ran = 0;
        foreach (var file in DashboardFiles.All())
        {
            var (variableQueries, custom) = DashboardFiles.Variables(file);
            var values = custom.ToDictionary(kv => kv.Key, kv => kv.Value[0], StringComparer.Ordinal);

            // Query variables resolve in declaration order (a later one may use an earlier one), taking the first value, as Grafana does.
            foreach (var variable in variableQueries)
            {
                var rows = await RunAsync(Substitute(variable.InfluxQl, values), db);
                ran++;
                if (rows.Error is not null || rows.Values.Count == 0)
                {
                    failures.Add($"{variable}: {rows.Error ?? "no rows"}");
                    continue;
                }

                values[variable.Origin["variable ".Length..]] = rows.Values[0];
            }

            // Panel queries run once per option of every custom variable they use (e.g. each window measurement).
            foreach (var query in DashboardFiles.PanelQueries(file))
            {
                var combinations = custom.Keys.Where(k => query.InfluxQl.Contains('$' + k, StringComparison.Ordinal))
                    .Aggregate(new[] { new Dictionary<string, string>(values, StringComparer.Ordinal) }.AsEnumerable(), (acc, key) =>
                        acc.SelectMany(v => custom[key].Select(option => new Dictionary<string, string>(v, StringComparer.Ordinal) { [key] = option })))
                    .ToList();
                foreach (var combination in combinations)
                {
                    var text = Substitute(query.InfluxQl, combination);
                    var rows = await RunAsync(text, db);
                    ran++;
                    output.WriteLine($"{query.Dashboard} / {query.Origin}: {rows.Values.Count} rows  <- {text}");
                    if (rows.Error is not null || rows.Values.Count == 0)
                    {
                        failures.Add($"{query} [{text}]: {rows.Error ?? "no rows"}");
                    }
                }
            }
        }

        Assert.True(ran >= 20, $"only {ran} queries found in the dashboards");
        Assert.True(failures.Count == 0, "Dashboard queries without rows:\n" + string.Join("\n", failures));
    }

    [Fact]
    public void Substitution_should_leave_no_grafana_variable_behind()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal) { ["device"] = "d1", ["metric"] = "temperature", ["window"] = "window_10s" };
        foreach (var file in DashboardFiles.All())
        {
            foreach (var query in DashboardFiles.PanelQueries(file).Concat(DashboardFiles.Variables(file).Queries))
            {
                var text = Substitute(query.InfluxQl, values);
                Assert.DoesNotContain("$", text, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void No_dashboard_query_should_read_a_regex_measurement()
    {
        var from = AllQueries().SelectMany(q => FromClause().Matches(q.InfluxQl).Select(m => (Query: q, Measurement: m.Groups[1].Value))).ToList();
        Assert.True(from.Count >= 25, $"only {from.Count} FROM clauses found");
        Assert.All(from, f => Assert.False(f.Measurement.StartsWith('/'), $"{f.Query}: reads the regex measurement {f.Measurement}; name the measurement"));
    }

    [Fact]
    public void Every_dashboard_measurement_should_be_one_the_compose_service_writes()
    {
        // The measurements the service of docker-compose.yml writes: one aggregate measurement per configured window,
        // pipeline_health snapshots, and raw points in measurement = metric name (chosen with the $metric variable).
        var compose = ComposeFile.Load(Path.Combine(DashboardFiles.RepositoryRoot(), "docker-compose.yml"));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(compose.ServiceSettings("service")).Build();
        var pipeline = configuration.GetSection(PipelineOptions.SectionName).Get<PipelineOptions>()!;
        var health = configuration.GetSection(PipelineHealthOptions.SectionName).Get<PipelineHealthOptions>() ?? new PipelineHealthOptions();
        var aggregates = pipeline.EffectiveWindows.Select(w => AggregatePoints.Measurement(pipeline.AggregateMeasurement, w.Name)).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(["window_10s", "window_1m"], aggregates.Order(StringComparer.Ordinal));

        var checkedQueries = 0;
        foreach (var file in DashboardFiles.All())
        {
            var (variables, custom) = DashboardFiles.Variables(file);
            foreach (var query in DashboardFiles.PanelQueries(file).Concat(variables))
            {
                foreach (var measurement in FromClause().Matches(query.InfluxQl).Select(m => m.Groups[1].Value.Trim('"')))
                {
                    checkedQueries++;
                    if (measurement == "$metric")
                    {
                        // Raw points: the variable must list metric names, i.e. the metric tag of an aggregate measurement.
                        var metric = variables.Single(v => v.Origin == "variable metric");
                        Assert.Matches($"^SHOW TAG VALUES FROM \\\"({string.Join('|', aggregates)})\\\" WITH KEY = \\\"metric\\\"", metric.InfluxQl);
                    }
                    else if (measurement.StartsWith('$'))
                    {
                        var options = custom[measurement[1..]];
                        Assert.All(options, o => Assert.True(aggregates.Contains(o), $"{query}: ${measurement[1..]} offers {o}, which the service does not write"));
                    }
                    else
                    {
                        Assert.True(aggregates.Contains(measurement) || measurement == health.HealthMeasurement, $"{query}: {measurement} is not a measurement the service writes");
                    }
                }
            }
        }

        Assert.True(checkedQueries >= 25, $"only {checkedQueries} measurements checked");
    }

    private static IEnumerable<DashboardQuery> AllQueries() =>
        DashboardFiles.All().SelectMany(f => DashboardFiles.PanelQueries(f).Concat(DashboardFiles.Variables(f).Queries));

    /// <summary>Grafana's built-ins ($timeFilter, $__interval, …) and the dashboard's own variables.</summary>
    private static string Substitute(string query, IReadOnlyDictionary<string, string> values)
    {
        var text = query.Replace("$timeFilter", TimeFilter, StringComparison.Ordinal)
            .Replace("$__timeFilter", TimeFilter, StringComparison.Ordinal)
            .Replace("$__interval_ms", "10000", StringComparison.Ordinal)
            .Replace("$__interval", Interval, StringComparison.Ordinal)
            .Replace("$interval", Interval, StringComparison.Ordinal);
        return VariablePattern().Replace(text, m =>
            values.TryGetValue(m.Groups[1].Value, out var v) ? v : throw new InvalidOperationException($"Unknown variable {m.Value} in: {query}"));
    }

    private async Task<(string? Error, IReadOnlyList<string> Values)> RunAsync(string influxQl, string db)
    {
        string json;
        try
        {
            json = await influx.Server.QueryAsync(influxQl, db);
        }
        catch (HttpRequestException e)
        {
            return (e.Message, []);
        }

        using var doc = JsonDocument.Parse(json);
        var result = doc.RootElement.GetProperty("results")[0];
        if (result.TryGetProperty("error", out var error))
        {
            return (error.GetString(), []);
        }

        var values = new List<string>();
        if (result.TryGetProperty("series", out var series))
        {
            foreach (var s in series.EnumerateArray())
            {
                foreach (var row in s.GetProperty("values").EnumerateArray())
                {
                    // SHOW TAG VALUES rows are [key, value]; other rows start with time. Keep the last column as text.
                    values.Add(row[row.GetArrayLength() - 1].ToString());
                }
            }
        }

        return (null, values);
    }

    /// <summary>The measurement of a FROM clause (a quoted or bare identifier, or a /regex/); subqueries are skipped.</summary>
    [GeneratedRegex(@"\bFROM\s+(?!\()(""[^""]+""|/[^/]*/|[\w$]+)", RegexOptions.IgnoreCase)]
    private static partial Regex FromClause();

    [GeneratedRegex(@"\$(\w+)")]
    private static partial Regex VariablePattern();
}
