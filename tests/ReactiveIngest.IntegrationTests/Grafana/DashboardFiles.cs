using System.Text.Json;

namespace ReactiveIngest.IntegrationTests.Grafana;

/// <summary>Finds the provisioned dashboards in the repository and extracts their InfluxQL queries and variables.</summary>
public static class DashboardFiles
{
    /// <summary>The repository root: the nearest ancestor of the test binaries holding ReactiveIngest.sln.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveIngest.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ReactiveIngest.sln above {AppContext.BaseDirectory}.");
    }

    /// <summary>The dashboard JSON files under samples/grafana/dashboards.</summary>
    public static IReadOnlyList<string> All() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "samples", "grafana", "dashboards"), "*.json").Order(StringComparer.Ordinal)];

    /// <summary>Every panel target query (rows and nested panels included).</summary>
    public static IReadOnlyList<DashboardQuery> PanelQueries(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var name = Path.GetFileNameWithoutExtension(file);
        var queries = new List<DashboardQuery>();
        Collect(doc.RootElement, name, queries);
        return queries;
    }

    /// <summary>Template variables: query variables with their InfluxQL, custom variables with their options.</summary>
    public static (IReadOnlyList<DashboardQuery> Queries, IReadOnlyDictionary<string, IReadOnlyList<string>> Custom) Variables(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var name = Path.GetFileNameWithoutExtension(file);
        var queries = new List<DashboardQuery>();
        var custom = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (doc.RootElement.TryGetProperty("templating", out var templating))
        {
            foreach (var v in templating.GetProperty("list").EnumerateArray())
            {
                var varName = v.GetProperty("name").GetString()!;
                var query = v.GetProperty("query").GetString()!;
                switch (v.GetProperty("type").GetString())
                {
                    case "query":
                        queries.Add(new DashboardQuery(name, "variable " + varName, query));
                        break;
                    case "custom":
                        custom[varName] = [.. query.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
                        break;
                    default:
                        throw new InvalidOperationException($"{name}: variable {varName} has a type this test does not know.");
                }
            }
        }

        return (queries, custom);
    }

    private static void Collect(JsonElement container, string dashboard, List<DashboardQuery> into)
    {
        if (!container.TryGetProperty("panels", out var panels))
        {
            return;
        }

        foreach (var panel in panels.EnumerateArray())
        {
            var title = panel.TryGetProperty("title", out var t) ? t.GetString() : "(untitled)";
            if (panel.TryGetProperty("targets", out var targets))
            {
                foreach (var target in targets.EnumerateArray())
                {
                    var query = target.TryGetProperty("query", out var q) ? q.GetString() : null;
                    if (string.IsNullOrWhiteSpace(query))
                    {
                        throw new InvalidOperationException($"{dashboard} / {title}: a target without a raw InfluxQL query.");
                    }

                    into.Add(new DashboardQuery(dashboard, $"panel '{title}' {target.GetProperty("refId").GetString()}", query));
                }
            }

            Collect(panel, dashboard, into);
        }
    }
}
