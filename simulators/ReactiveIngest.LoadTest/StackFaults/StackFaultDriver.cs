using System.Diagnostics;
using System.Globalization;
using ReactiveIngest.Simulator.LoadTest;
using ReactiveIngest.Simulator.Reports;
using ReactiveIngest.Simulator.Servers;

namespace ReactiveIngest.Simulator.StackFaults;

/// <summary>
/// Injects the stack faults of <see cref="StackOptions"/> while the fleet sends: kills the service with SIGKILL at the
/// moments of <see cref="KillSchedule"/> and restarts it each time with the same configuration, port, working
/// directory and client ids (the same <see cref="ServiceProcess"/>), and stops influxd for
/// <see cref="StackOptions.InfluxOutage"/> a quarter into the send phase, then starts it on the same data directory
/// and port. Meanwhile it reads the service's late-reading counter (summed over incarnations) and, during an outage
/// run, samples its resident memory every 0.5 s.
/// </summary>
public sealed class StackFaultDriver(LoadTestStack stack, ServiceProcess service, StackOptions options, TimeSpan sendDuration, TextWriter output) : IAsyncDisposable
{
    private static readonly TimeSpan SamplePeriod = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _sampling = new();
    private readonly List<double> _killedAt = [];
    private readonly List<double> _down = [];
    private Task _sampler = Task.CompletedTask;
    private double? _outageStartedAt;
    private TimeSpan _outageLength;

    /// <summary>Late readings the service counted, over all its incarnations.</summary>
    public RestartTally LateReadings { get; } = new();

    /// <summary>The service's memory across the outage.</summary>
    public RssTimeline Rss { get; } = new();

    /// <summary>The crashes done; null when none were asked for.</summary>
    public CrashReport? Crash => options.KillService > 0
        ? new CrashReport(options.KillService, _down.Count, options.FaultSeed, [.. _killedAt], [.. _down])
        : null;

    /// <summary>The outage; null when none was asked for or it did not start.</summary>
    public OutageReport? Outage => _outageStartedAt is { } at ? Rss.Report(_outageLength.TotalSeconds, at) : null;

    /// <summary>Waits until <paramref name="sendingStarted"/> is true, then runs every fault; returns when all are done.</summary>
    public async Task RunAsync(Func<bool> sendingStarted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sendingStarted);
        while (!sendingStarted())
        {
            await Task.Delay(20, cancellationToken);
        }

        var clock = Stopwatch.StartNew();
        if (options.InfluxOutage is not null)
        {
            _sampler = SampleAsync(_sampling.Token);
        }

        var kills = KillsAsync(clock, cancellationToken);
        var outage = options.InfluxOutage is { } length ? OutageAsync(clock, length, cancellationToken) : Task.CompletedTask;
        await Task.WhenAll(kills, outage);
    }

    /// <summary>Reads the counters a last time and stops sampling (call when the drain is over).</summary>
    public async Task FinishAsync(CancellationToken cancellationToken)
    {
        if (await StackRun.StatusAsync(service, cancellationToken) is { } status)
        {
            LateReadings.Observe(status.LateReadings);
        }

        Rss.Add(service.RssBytes);
        await _sampling.CancelAsync();
        await _sampler;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _sampling.CancelAsync();
        await _sampler;
        _sampling.Dispose();
    }

    private async Task KillsAsync(Stopwatch clock, CancellationToken cancellationToken)
    {
        var plan = KillSchedule.Plan(options.KillService, sendDuration, options.FaultSeed);
        foreach (var at in plan)
        {
            while (clock.Elapsed < at)
            {
                await ObserveAsync(cancellationToken);
                var wait = at - clock.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < TimeSpan.FromSeconds(1) ? wait : TimeSpan.FromSeconds(1), cancellationToken);
                }
            }

            var killedAt = clock.Elapsed.TotalSeconds;
            await service.KillAsync();
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Environment.NewLine}fault: service killed (SIGKILL) {killedAt:0.0} s into sending; restarting it"));
            LateReadings.Restarted();
            var down = Stopwatch.StartNew();
            await service.StartAsync(cancellationToken);
            _killedAt.Add(Math.Round(killedAt, 1));
            _down.Add(Math.Round(down.Elapsed.TotalSeconds, 1));
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fault: service ready again after {down.Elapsed.TotalSeconds:0.0} s"));
        }
    }

    private async Task OutageAsync(Stopwatch clock, TimeSpan length, CancellationToken cancellationToken)
    {
        var at = sendDuration * 0.25;
        if (clock.Elapsed < at)
        {
            await Task.Delay(at - clock.Elapsed, cancellationToken);
        }

        Rss.Add(service.RssBytes);
        _outageStartedAt = clock.Elapsed.TotalSeconds;
        Rss.Phase = OutagePhase.During;
        await stack.StopInfluxAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{Environment.NewLine}fault: influxd stopped {_outageStartedAt:0.0} s into sending, for {length.TotalSeconds:0} s"));
        var down = Stopwatch.StartNew();
        await Task.Delay(length, cancellationToken);
        Rss.Add(service.RssBytes);
        await stack.StartInfluxAsync(cancellationToken);
        _outageLength = down.Elapsed;
        Rss.Phase = OutagePhase.After;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"fault: influxd started again after {_outageLength.TotalSeconds:0.0} s"));
    }

    private async Task ObserveAsync(CancellationToken cancellationToken)
    {
        if (await StackRun.StatusAsync(service, cancellationToken) is { } status)
        {
            LateReadings.Observe(status.LateReadings);
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var timer = new PeriodicTimer(SamplePeriod);
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                Rss.Add(service.RssBytes);
            }
        }
        catch (OperationCanceledException)
        {
            // Sampling ends with the drain.
        }
    }
}
