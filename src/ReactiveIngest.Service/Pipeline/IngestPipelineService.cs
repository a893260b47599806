using Akka.Actor;
using Akka.Configuration;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.Extensions.Options;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Journal.Stages;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.Streams.Limits;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>
/// Materializes the ingest graph when the host starts and stops it gracefully when the host stops: inputs are
/// closed, what is in flight is written, open windows are handled as <see cref="PipelineOptions.OpenWindowsOnShutdown"/>
/// says, then the graph is stopped within <see cref="PipelineOptions.ShutdownTimeout"/>.
/// <para>
/// A graph that fails (or ends while the service runs) is restarted: its sources are stopped, the journals closed and
/// recovered (so every entry it had not released is read again, and window progress saved as final is not counted
/// twice), and a new graph is materialized after a backoff of <see cref="MinRestartBackoff"/> doubling up to
/// <see cref="MaxRestartBackoff"/> (back to the minimum once a graph has run for <see cref="HealthyAfter"/>).
/// Meanwhile <see cref="GraphState"/> says why no graph runs: readiness reports it and HTTP ingest answers 503 with
/// Retry-After. Restarts are counted (<c>reactiveingest.pipeline.restarts</c>).
/// </para>
/// </summary>
public sealed partial class IngestPipelineService(
    IEnumerable<IInput> inputs,
    IEnumerable<IOutput> outputs,
    RunningInputs runningInputs,
    IOptions<PipelineOptions> pipelineOptions,
    IOptions<ValidationOptions> validationOptions,
    LiveViewStore liveView,
    PipelineStatus status,
    TimeProvider timeProvider,
    Diagnostics.PipelineMetrics metrics,
    ILogger<IngestPipelineService> logger,
    Analytics.PipelineAnalytics analytics,
    IWindowProgressStore progress,
    SourceJournals journals,
    JournalMetrics journalMetrics,
    GraphState graphState,
    CardinalityLimits cardinality,
    Diagnostics.OversizeMemoryReclaimer reclaimer) : IHostedService, IAsyncDisposable
{
    /// <summary>The first wait before a failed graph is started again.</summary>
    public static readonly TimeSpan MinRestartBackoff = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts of a graph that keeps failing.</summary>
    public static readonly TimeSpan MaxRestartBackoff = TimeSpan.FromSeconds(30);

    /// <summary>A graph that ran this long before it failed is restarted after <see cref="MinRestartBackoff"/> again.</summary>
    public static readonly TimeSpan HealthyAfter = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan QuietPeriod = TimeSpan.FromSeconds(2);
    private readonly IReadOnlyList<IInput> _inputs = UniqueNames([.. inputs]);
    private readonly IReadOnlyList<IOutput> _outputs = [.. outputs];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private ActorSystem? _system;
    private IngestGraph.Running? _running;
    private ReadingValidator? _validator;
    private Task _supervisor = Task.CompletedTask;
    private Timer? _sampler;
    private ProvisionalWindows? _provisional;
    private bool _stopRequested;

    /// <summary>The running graph (null before start and after stop).</summary>
    public IngestGraph.Running? Running => _running;

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(journalMetrics);
        var config = ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            akka.coordinated-shutdown.run-by-clr-shutdown-hook = off
            akka.coordinated-shutdown.exit-clr = off
            """);
        _system = ActorSystem.Create("reactiveingest", config);
        _validator = new ReadingValidator(validationOptions.Value, timeProvider, cardinality);
        _running = Materialize(afterFailure: false);
        _supervisor = SuperviseAsync(_stopping.Token);
        _sampler = new Timer(_ => status.Sample(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    /// <summary>Opens every registered input (behind its size limit and journal) and materializes one graph over them and the outputs.</summary>
    private IngestGraph.Running Materialize(bool afterFailure)
    {
        var options = pipelineOptions.Value;
        var graphInputs = _inputs.Select(i => new IngestGraph.Input(i, Opened(i))).ToList();
        if (graphInputs.Count == 0)
        {
            throw new OptionsValidationException(InputConfiguration.SectionName, typeof(InputConfiguration),
                [$"No input is configured: add {InputConfiguration.SectionName}:Mqtt:0 (or Kafka), or enable {InputConfiguration.SectionName}:Http:Enabled."]);
        }

        _provisional = options.OpenWindowsOnShutdown == OpenWindowsOnShutdown.Provisional ? new ProvisionalWindows() : null;
        var context = new GraphContext(options, _validator!, _validator!.MaxPayloadBytes, liveView, status, timeProvider, analytics, progress);
        var running = IngestGraph.Run(_system!.Materializer(), graphInputs, _outputs, context, _provisional);
        runningInputs.Replace(running.Inputs);
        graphState.Started(afterFailure);
        LogStarted(logger, graphInputs.Count, string.Join(", ", _inputs.Select(i => i.Name)), string.Join(", ", options.EffectiveWindows.Select(w => w.Name)));
        return running;
    }

    /// <summary>The input's messages behind its edge limit and, when it is journaled by the pipeline, its journal.</summary>
    private Source<Envelope<RawMessage>, IInputControl> Opened(IInput input)
    {
        var messages = input.Open();
        if (input.MaxMessageBytes is { } limit)
        {
            messages = messages.Via(MessageSizeLimit.Create(limit, onOversize: reclaimer.Notify));
        }

        return input.Journaling == InputJournaling.ByPipeline && journals.Enabled ? Journaled.Via(messages, journals.For(input.Name)) : messages;
    }

    /// <summary>Waits for each graph to end; one that ends while the service runs is torn down and started again after a backoff.</summary>
    private async Task SuperviseAsync(CancellationToken stopping)
    {
        var backoff = MinRestartBackoff;
        while (true)
        {
            var running = _running;
            if (running is null)
            {
                return;
            }

            var startedAt = timeProvider.GetTimestamp();
            try
            {
                await running.Completion.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
#pragma warning disable CA1031 // any failure of the graph is handled the same way: restart it
            catch (Exception)
#pragma warning restore CA1031
            {
                // Reported below from the task itself.
            }

            if (stopping.IsCancellationRequested)
            {
                return;
            }

            // Every sink fails with the first failure (see IngestGraph), so the first inner exception names it.
            var failure = running.Completion.Exception?.Flatten().InnerExceptions.FirstOrDefault()?.GetBaseException();
            var reason = failure is null ? "the graph completed while the service runs" : $"{failure.GetType().Name}: {failure.Message}";
            if (timeProvider.GetElapsedTime(startedAt) >= HealthyAfter)
            {
                backoff = MinRestartBackoff;
            }

            graphState.Failed(reason, backoff);
            LogGraphFailed(logger, reason, backoff, failure);
            await TearDownAsync(running).ConfigureAwait(false);
            try
            {
                await Task.Delay(backoff, timeProvider, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = backoff * 2 > MaxRestartBackoff ? MaxRestartBackoff : backoff * 2;
            lock (_gate)
            {
                if (_stopRequested)
                {
                    return;
                }

                try
                {
                    _running = Materialize(afterFailure: true);
                }
#pragma warning disable CA1031 // a graph that cannot even be built is retried like one that failed
                catch (Exception e)
#pragma warning restore CA1031
                {
                    graphState.Failed($"{e.GetType().Name}: {e.Message}", backoff);
                    LogGraphFailed(logger, e.Message, backoff, e);
                    runningInputs.Replace([]);
                    _running = new IngestGraph.Running([], [], running.KillSwitch, Task.FromException(e));
                }
            }
        }
    }

    /// <summary>Stops what is left of a failed graph: the kill switch, the sources' connections, and the journals (recovered on next use).</summary>
    private async Task TearDownAsync(IngestGraph.Running running)
    {
        foreach (var journal in journals.All)
        {
            journal.HoldTruncation();
        }

        running.KillSwitch.Abort(new OperationCanceledException("the graph failed; restarting"));
        await StopSourcesAsync(running).ConfigureAwait(false);
        if (journals.Enabled)
        {
            await journals.ReopenAsync().ConfigureAwait(false);
        }
    }

    private async Task StopSourcesAsync(IngestGraph.Running running)
    {
        foreach (var source in running.Inputs.Select(i => i.Control))
        {
            try
            {
                await source.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException)
            {
                LogSourceStopFailed(logger, e.Message);
            }
        }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        IngestGraph.Running? running;
        lock (_gate)
        {
            _stopRequested = true;
            running = _running;
        }

        await _stopping.CancelAsync();
        graphState.Stopped("the service is stopping");
        try
        {
            // A restart in progress finishes its tear-down (sources stop within 10 s each) and then sees the stop.
            await _supervisor.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogSourceStopFailed(logger, "a graph restart did not finish within 30 s of the stop");
        }

        running = _running;
        if (running is null)
        {
            return;
        }

        var options = pipelineOptions.Value;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ShutdownTimeout);
        LogStopping(logger, options.OpenWindowsOnShutdown);
        try
        {
            if (options.OpenWindowsOnShutdown is OpenWindowsOnShutdown.Flush or OpenWindowsOnShutdown.Provisional)
            {
                // Provisional: from here on window results are written without acknowledging their messages.
                _provisional?.Begin();
                foreach (var valve in running.Valves)
                {
                    valve.CompleteDownstream();
                }

                await running.Completion.WaitAsync(timeout.Token);
                if (options.OpenWindowsOnShutdown == OpenWindowsOnShutdown.Provisional && _provisional is { } provisional)
                {
                    LogProvisionalWritten(logger, provisional.Written, provisional.Withheld);
                }
            }
            else
            {
                foreach (var valve in running.Valves)
                {
                    valve.Close();
                }

                await WaitUntilQuietAsync(timeout.Token);

                // What is still in flight is abandoned and must be read again after the restart, whatever is
                // released while the graph is torn down.
                foreach (var journal in journals.All)
                {
                    journal.HoldTruncation();
                }

                running.KillSwitch.Abort(new OperationCanceledException("service stopping; open windows are redelivered"));
            }
        }
        catch (OperationCanceledException)
        {
            LogShutdownTimedOut(logger, options.ShutdownTimeout);
            foreach (var journal in journals.All)
            {
                journal.HoldTruncation();
            }

            running.KillSwitch.Abort(new TimeoutException("shutdown timed out"));
        }
#pragma warning disable CA1031 // a graph that failed while draining is torn down like one that timed out
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogGraphFailed(logger, e.Message, TimeSpan.Zero, e);
            foreach (var journal in journals.All)
            {
                journal.HoldTruncation();
            }
        }

        await StopSourcesAsync(running);
        await DisposeAsync();
    }

    /// <summary>Waits until nothing has been written or emitted for a short quiet period.</summary>
    private async Task WaitUntilQuietAsync(CancellationToken cancellationToken)
    {
        var last = (status.PointsWritten, status.WindowResults, status.DeadLetters);
        var quietSince = timeProvider.GetTimestamp();
        while (timeProvider.GetElapsedTime(quietSince) < QuietPeriod)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
            var now = (status.PointsWritten, status.WindowResults, status.DeadLetters);
            if (now != last)
            {
                last = now;
                quietSince = timeProvider.GetTimestamp();
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _running = null;
        runningInputs.Replace([]);
        if (!_stopping.IsCancellationRequested)
        {
            await _stopping.CancelAsync();
        }

        if (_sampler is not null)
        {
            await _sampler.DisposeAsync();
            _sampler = null;
        }

        if (_system is not null)
        {
            await _system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
            _system = null;
        }
    }

    private static List<IInput> UniqueNames(List<IInput> inputs)
    {
        var twice = inputs.GroupBy(i => i.Name, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        return twice.Count == 0 ? inputs
            : throw new OptionsValidationException(InputConfiguration.SectionName, typeof(InputConfiguration), [.. twice.Select(n => $"Input name '{n}' is used by more than one input.")]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline started with {SourceCount} sources ({Sources}) and windows {Windows}")]
    private static partial void LogStarted(ILogger logger, int sourceCount, string sources, string windows);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pipeline stopping; open windows: {Mode}")]
    private static partial void LogStopping(ILogger logger, OpenWindowsOnShutdown mode);

    [LoggerMessage(Level = LogLevel.Information, Message = "Open windows written as {Written} provisional results (of {Withheld}); their messages stay unacknowledged and are redelivered on restart")]
    private static partial void LogProvisionalWritten(ILogger logger, long written, long withheld);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Pipeline did not stop within {Timeout}; aborted, unacknowledged messages will be redelivered")]
    private static partial void LogShutdownTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A source did not stop cleanly: {Reason}")]
    private static partial void LogSourceStopFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pipeline graph failed ({Reason}); restarting in {Backoff}")]
    private static partial void LogGraphFailed(ILogger logger, string reason, TimeSpan backoff, Exception? failure);
}
