using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.GroundTruth;
using ReactiveIngest.Simulator.Scenarios;
using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.Simulator.StackFaults;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>
/// One full-stack run on a started <see cref="LoadTestStack"/>: fresh database, service started, fleet run with a
/// progress line, pipeline drained, InfluxDB read back and compared with the ground truth, service stopped.
/// </summary>
public static class StackRun
{
    /// <summary>The measurement of the service's aggregates of the verified window (<c>window_10s</c> by default).</summary>
    public static string AggregateMeasurement(StackOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return "window_" + options.WindowName;
    }

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>Runs <paramref name="scenario"/> once against the stack.</summary>
    public static async Task<StackRunResult> RunAsync(LoadTestStack stack, Scenario scenario, StackOptions options, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems));
        }

        var database = await stack.CreateDatabaseAsync("loadtest", cancellationToken);
        await using var service = await stack.StartServiceAsync(database, cancellationToken);
        await output.WriteLineAsync($"service ready at {service.BaseAddress} (database {database})");

        var transport = TransportFactory.Create(scenario.Transport, scenario.Fleet.Format);
        await using var driver = new StackFaultDriver(stack, service, options, TimeSpan.FromSeconds(scenario.DurationSec), output);
        FleetResult fleet;
        try
        {
            var runner = new FleetRunner(scenario.Fleet, scenario.Rate, scenario.Faults, transport);
            using var progressStop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var progress = ProgressAsync(runner, service, progressStop.Token);
            var faults = driver.RunAsync(() => runner.Stats.Attempted > 0, cancellationToken);
            fleet = await runner.RunAsync(TimeSpan.FromSeconds(scenario.DurationSec), cancellationToken);
            await faults;
            await progressStop.CancelAsync();
            await progress;
        }
        finally
        {
            if (transport is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        Console.Error.WriteLine();
        var truth = fleet.GroundTruth;
        var cells = truth.WindowMap();
        var metrics = truth.Windows.Select(w => w.Metric).Distinct(StringComparer.Ordinal).ToList();
        var reader = new InfluxReader(stack.InfluxUrl, database);
        var measurement = AggregateMeasurement(options);
        var windowMs = (long)options.WindowSize.TotalMilliseconds;
        var expectedWindows = windowMs == GroundTruthRecorder.WindowMs
            ? cells
            : WindowRollup.Roll(cells, windowMs, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        var drain = await DrainAsync(reader, metrics, measurement, cells.Values.Sum(w => w.Count), expectedWindows.Count, options, output, cancellationToken);
        await driver.FinishAsync(cancellationToken);

        var rawTotal = await reader.CountRawAsync(metrics, cancellationToken);
        var fromMs = truth.Windows.Count == 0 ? 0 : truth.Windows.Min(w => w.WindowStartMs);
        var toMs = truth.Windows.Count == 0 ? 0 : truth.Windows.Max(w => w.WindowStartMs) + GroundTruthRecorder.WindowMs;
        var raw = await reader.RawWindowsAsync(metrics, fromMs, toMs, cancellationToken);
        var aggregates = truth.WindowsTruncated ? null : await reader.AggregatesAsync(measurement, cancellationToken);
        if (aggregates is not null && windowMs != GroundTruthRecorder.WindowMs)
        {
            // Windows still open when the drain ended have no final aggregate yet: leave them out on both sides.
            aggregates = aggregates.Where(a => expectedWindows.ContainsKey(a.Key) || a.Key.WindowStartMs + windowMs <= DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())
                .ToDictionary(a => a.Key, a => a.Value);
        }

        var verdict = StoreComparison.Compare(cells, raw, aggregates, expectedAggregates: expectedWindows);
        var status = await StatusAsync(service, cancellationToken);
        var cpu = service.CpuTime;
        var rss = service.PeakRssBytes;
        var metricsText = options.ServiceLogDirectory is null ? null : await MetricsTextAsync(service, cancellationToken);
        await service.StopAsync();
        if (options.ServiceLogDirectory is { } logDirectory)
        {
            var path = await WriteServiceLogAsync(logDirectory, database, service, metricsText, cancellationToken);
            await output.WriteLineAsync($"service log: {path}");
        }

        foreach (var example in verdict.Examples.Concat(verdict.MismatchExamples))
        {
            await output.WriteLineAsync("  " + example);
        }

        return new StackRunResult(
            fleet, verdict, rawTotal, status?.DeadLetters, status?.Received, cpu?.TotalSeconds, rss / (1024.0 * 1024.0), database,
            drain, status is null ? null : driver.LateReadings.Total, driver.Crash, driver.Outage);
    }

    private static async Task<DrainOutcome> DrainAsync(InfluxReader reader, IReadOnlyCollection<string> metrics, string measurement, long expectedPoints, long expectedWindows, StackOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        var lastChange = started;
        (long, long) last = (-1, -1);
        while (true)
        {
            var points = await reader.CountRawAsync(metrics, cancellationToken);
            var windows = (await reader.AggregatesAsync(measurement, cancellationToken)).Count;
            Console.Error.Write(string.Create(CultureInfo.InvariantCulture, $"\rdraining: raw points {points,10}/{expectedPoints} | windows {windows,8}/{expectedWindows}   "));
            if (points >= expectedPoints && windows >= expectedWindows)
            {
                Console.Error.WriteLine();
                return DrainOutcome.Complete;
            }

            if ((points, windows) != last)
            {
                last = (points, windows);
                lastChange = DateTime.UtcNow;
            }
            else if (DateTime.UtcNow - lastChange > options.DrainQuiet)
            {
                await output.WriteLineAsync($"{Environment.NewLine}drain: nothing changed for {options.DrainQuiet.TotalSeconds:0} s; verifying what is stored");
                return DrainOutcome.Stalled;
            }

            if (DateTime.UtcNow - started > options.DrainTimeout)
            {
                await output.WriteLineAsync($"{Environment.NewLine}drain: timed out after {options.DrainTimeout.TotalSeconds:0} s; verifying what is stored");
                return DrainOutcome.TimedOut;
            }

            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        }
    }

    private static async Task ProgressAsync(FleetRunner runner, ServiceProcess service, CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                var stats = runner.Stats;
                var status = await StatusAsync(service, cancellationToken);
                Console.Error.Write(string.Create(
                    CultureInfo.InvariantCulture,
                    $"\rsent {stats.Attempted,10} | accepted {stats.Accepted,10} | failed {stats.Failed,6} | target {runner.TargetRatePerSec,8:0}/s | service received {status?.Received,10} | written {status?.PointsWritten,10}   "));
            }
        }
        catch (OperationCanceledException)
        {
            // The run ended.
        }
    }

    private static async Task<string?> MetricsTextAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        try
        {
            return await Http.GetStringAsync(new Uri(service.BaseAddress, "metrics"), cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"(/metrics not read: {e.Message})";
        }
    }

    private static async Task<string> WriteServiceLogAsync(string directory, string database, ServiceProcess service, string? metricsText, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"service-{database}.log");
        var lines = new List<string>(service.Log.Since(0)) { string.Empty, "# /metrics as the drain ended", metricsText ?? string.Empty };
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
        return path;
    }

    /// <summary>The service's <c>/api/status</c>; null when it does not answer (not running, restarting).</summary>
    internal static async Task<ServiceStatus?> StatusAsync(ServiceProcess service, CancellationToken cancellationToken)
    {
        try
        {
            return await Http.GetFromJsonAsync<ServiceStatus>(new Uri(service.BaseAddress, "api/status"), JsonSerializerOptions.Web, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            return null;
        }
    }
}
