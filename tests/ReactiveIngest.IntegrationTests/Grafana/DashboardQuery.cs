namespace ReactiveIngest.IntegrationTests.Grafana;

/// <summary>One InfluxQL query found in a dashboard: a panel target or a template variable's query.</summary>
public sealed record DashboardQuery(string Dashboard, string Origin, string InfluxQl)
{
    /// <inheritdoc />
    public override string ToString() => $"{Dashboard} / {Origin}: {InfluxQl}";
}
