using System.Reflection;
using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Reports;
using ReactiveIngest.Simulator.Scenarios;
using Xunit.Abstractions;

namespace ReactiveIngest.Simulator.Tests.StackFaults;

/// <summary>Runs the full-stack load test at a small scale (200 devices on 4 connections, 4 msg/s each) with stack faults.</summary>
internal static class StackFaultRun
{
    private static string ServiceDll =>
        typeof(StackFaultRun).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ServiceDll").Value!;

    public static async Task<LoadTestReport> RunAsync(string transport, double durationSec, Action<StackOptions> faults, ITestOutputHelper output)
    {
        var scenario = ScenarioFile.Parse($$"""
            {
              "name": "stack-faults-{{transport}}",
              "durationSec": {{durationSec}},
              "fleet": { "devices": 200, "connections": 4, "seed": 16 },
              "rate": { "intervalMs": 250, "rampUpMs": 500 },
              "transport": { "kind": "{{transport}}", "qos": 1 }
            }
            """);
        var options = new StackOptions { ServiceDll = ServiceDll, DrainTimeout = TimeSpan.FromSeconds(90), DrainQuiet = TimeSpan.FromSeconds(30) };
        faults(options);
        var text = new StringWriter();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            var (report, _) = await FullStackLoadTest.RunAsync(scenario, options, null, null, null, text, timeout.Token);
            return report;
        }
        finally
        {
            output.WriteLine(text.ToString());
        }
    }
}
