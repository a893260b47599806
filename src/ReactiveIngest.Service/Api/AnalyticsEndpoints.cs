using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Service.Diagnostics;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;

namespace ReactiveIngest.Service.Api;

/// <summary>
/// The real-time analytics API: devices, latest values, the series held and the window definitions, window
/// aggregates (live view merged with history), top-N and a Server-Sent Events stream of window results.
/// </summary>
public static class AnalyticsEndpoints
{
    private const int MaxTopN = 1000;
    private const int MaxSeriesListed = 100_000;
    private static readonly TimeSpan MaxRange = TimeSpan.FromDays(31);

    /// <summary>Maps the endpoints under <c>/api</c>.</summary>
    public static RouteGroupBuilder MapAnalyticsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api");
        api.MapGet("/status", Status);
        api.MapGet("/devices", Devices);
        api.MapGet("/devices/{id}/latest", Latest);
        api.MapGet("/windows", Windows);
        api.MapGet("/series", Series);
        api.MapGet("/aggregates", Aggregates);
        api.MapGet("/top", Top);
        api.MapGet("/stream", Stream);
        api.MapGet("/deadletters", DeadLetters);
        return api;
    }

    private static Ok<StatusView> Status(PipelineStatus status, LiveViewStore store, IServiceProvider services)
    {
        var newestWindowEnd = store.NewestWindowEnd;
        return TypedResults.Ok(new StatusView(status.Received, status.ReceivedPerSecond, services.GetService<RunningInputs>()?.InFlight ?? 0, status.WindowResults,
            status.LateReadings, status.DeadLetters, status.PointsWritten, store.StreamEventsDropped, store.DevicesEvicted, status.Duplicates)
        {
            Series = store.SeriesCount,
            SeriesEvicted = store.SeriesEvicted,
            NewestWindowEnd = newestWindowEnd,
            ResultLagSeconds = newestWindowEnd is { } end ? Math.Max(0, (DateTimeOffset.UtcNow - end).TotalSeconds) : null,
            Sources = [.. status.Sources.Select(ToView)],
            Windows = [.. status.Windows.Select(w => new WindowStatusView(w.Name, w.Emitted, w.Late, w.Gauges.OpenWindows, w.Gauges.Series, w.Gauges.PendingMessages))],
            Journals = services.GetService<Journaling.SourceJournals>()?.Statistics() ?? [],
            Messages = new MessageOutcomesView(status.MessagesReceived, status.MessagesStored, status.MessagesDeadLettered, status.MessagesDuplicate),
            Cardinality = services.GetService<CardinalityLimits>() is { } c ? new CardinalityView(c.Devices, c.MaxDevices, c.MetricNames, c.MaxMetricNames, c.Rejected) : null,
            Graph = services.GetService<GraphState>() is { } g ? new GraphStatusView(g.IsRunning, g.Restarts, g.LastFailure) : null,
            Warnings = Warnings(services),
        });
    }

    private static IReadOnlyList<string> Warnings(IServiceProvider services)
    {
        var warnings = new List<string>();
        if (services.GetService<CardinalityLimits>() is { Overflowed: true } c)
        {
            warnings.Add($"cardinality limit reached: {c.Rejected} readings dead-lettered as CardinalityLimit ({c.Devices}/{c.MaxDevices} devices, " +
                $"{c.MetricNames}/{c.MaxMetricNames} metric names; raise {Pipeline.PipelineExtensions.ValidationSection}:MaxDevices or :MaxMetricNames if they are real)");
        }

        if (services.GetService<GraphState>() is { StoppedReason: { } reason })
        {
            warnings.Add(reason);
        }

        return warnings;
    }

    private static SourceStatusView ToView(SourceHealth source)
    {
        var control = source.Control;
        return new SourceStatusView(source.Name, source.Messages, source.Readings, source.Rejected, source.Backpressure.Backpressured.TotalSeconds, control?.InFlight, control?.Lag);
    }

    private static Ok<IReadOnlyList<WindowDefinitionView>> Windows(IOptions<PipelineOptions> options) =>
        TypedResults.Ok<IReadOnlyList<WindowDefinitionView>>([.. options.Value.EffectiveWindows.Select(w => new WindowDefinitionView(
            w.Name, w.Kind.ToString(), w.Size?.TotalSeconds, w.Slide?.TotalSeconds, w.Gap?.TotalSeconds))]);

    private static Results<Ok<IReadOnlyList<SeriesView>>, ProblemHttpResult> Series(LiveViewStore store, WindowCatalog windows, string? metric, string? window, string? limit)
    {
        var errors = new Dictionary<string, string[]>();
        if (window is not null && !windows.Contains(window))
        {
            errors["window"] = [$"unknown window '{window}'; configured: {string.Join(", ", windows.Names)}"];
        }

        var count = QueryParameters.Integer(errors, "limit", limit, 1, MaxSeriesListed);
        if (errors.Count > 0)
        {
            return QueryParameters.Invalid(errors);
        }

        return TypedResults.Ok(store.Series(metric, window, count ?? 10_000));
    }

    private static Results<Ok<DeadLettersView>, ProblemHttpResult> DeadLetters(DeadLetterLog log, string? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var count = QueryParameters.Integer(errors, "limit", limit, 1, 10_000);
        if (errors.Count > 0)
        {
            return QueryParameters.Invalid(errors);
        }

        var recent = log.Recent(count ?? 100).Select(d => new DeadLetterView(
            d.Reason.ToString(), d.Detail, d.Source, d.Context.Topic, UnixTime.ToDateTimeOffset(d.Context.ReceivedAtNs), Convert.ToBase64String(d.Payload.Span))).ToList();
        return TypedResults.Ok(new DeadLettersView(log.Total, log.CountByReason().ToDictionary(kv => kv.Key.ToString(), kv => kv.Value), recent));
    }

    private static Results<Ok<IReadOnlyList<DeviceView>>, ProblemHttpResult> Devices(LiveViewStore store, string? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var count = QueryParameters.Integer(errors, "limit", limit, 1, 100_000);
        if (errors.Count > 0)
        {
            return QueryParameters.Invalid(errors);
        }

        return TypedResults.Ok(store.Devices(count ?? 1000));
    }

    private static Results<Ok<DeviceView>, NotFound<ProblemDetails>> Latest(LiveViewStore store, string id)
    {
        var device = store.Device(id);
        return device is null
            ? TypedResults.NotFound(new ProblemDetails { Title = "Unknown device", Detail = $"No reading from device '{id}' is in the live view.", Status = 404 })
            : TypedResults.Ok(device);
    }

    private static async Task<Results<Ok<IReadOnlyList<WindowResultView>>, ProblemHttpResult>> Aggregates(
        LiveViewStore store, IWindowHistory history, WindowCatalog windows, string? device, string? metric, string? window, string? from, string? to, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        Require(errors, "device", device);
        Require(errors, "metric", metric);
        var windowName = window ?? windows.Default;
        if (!windows.Contains(windowName))
        {
            errors["window"] = [$"unknown window '{windowName}'; configured: {string.Join(", ", windows.Names)}"];
        }

        var toTime = ParseTime(errors, "to", to) ?? DateTimeOffset.UtcNow;
        var fromTime = ParseTime(errors, "from", from) ?? toTime.AddHours(-1);
        if (errors.Count == 0 && (fromTime >= toTime || toTime - fromTime > MaxRange))
        {
            errors["from"] = [$"must be before 'to' and at most {MaxRange.TotalDays} days earlier"];
        }

        if (errors.Count > 0)
        {
            return QueryParameters.Invalid(errors);
        }

        // The live view answers for the recent past; history fills in what is older than the oldest live result.
        var live = store.Windows(device!, metric!, windowName, fromTime, toTime);
        var oldestLive = store.OldestWindowStart(device!, metric!, windowName);
        if (oldestLive is { } boundary && boundary <= fromTime)
        {
            return TypedResults.Ok(live);
        }

        var historyTo = oldestLive is { } b && b < toTime ? b : toTime;
        var older = await history.QueryAsync(device!, metric!, windowName, fromTime, historyTo, cancellationToken);
        IReadOnlyList<WindowResultView> merged = [.. older.Where(r => oldestLive is null || r.WindowStart < oldestLive), .. live];
        return TypedResults.Ok(merged);
    }

    private static Results<Ok<IReadOnlyList<TopEntry>>, ProblemHttpResult> Top(LiveViewStore store, WindowCatalog windows, string? metric, string? window, string? stat, string? n)
    {
        var errors = new Dictionary<string, string[]>();
        Require(errors, "metric", metric);
        var windowName = window ?? windows.Default;
        if (!windows.Contains(windowName))
        {
            errors["window"] = [$"unknown window '{windowName}'; configured: {string.Join(", ", windows.Names)}"];
        }

        var statName = stat ?? "mean";
        if (!WindowResultView.StatisticNames.Contains(statName, StringComparer.OrdinalIgnoreCase))
        {
            errors["stat"] = [$"unknown statistic '{statName}'; one of {string.Join(", ", WindowResultView.StatisticNames)}"];
        }

        var count = QueryParameters.Integer(errors, "n", n, 1, MaxTopN);

        if (errors.Count > 0)
        {
            return QueryParameters.Invalid(errors);
        }

        IReadOnlyList<TopEntry> top = store.LatestPerDevice(metric!, windowName)
            .Select(r => new TopEntry(r.DeviceId, r.Statistic(statName)!.Value, r.WindowStart, r.WindowEnd))
            .OrderByDescending(e => e.Value)
            .ThenBy(e => e.DeviceId, StringComparer.Ordinal)
            .Take(count ?? 10)
            .ToList();
        return TypedResults.Ok(top);
    }

    private static async Task Stream(HttpContext context, LiveViewStore store, string? device, string? metric, string? window, CancellationToken cancellationToken)
    {
        var reader = store.Subscribe(
            r => (device is null || r.DeviceId == device) && (metric is null || r.Metric == metric) && (window is null || r.Window == window),
            cancellationToken);
        if (reader is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.Headers.RetryAfter = "5";
            return;
        }

        context.Response.Headers.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        context.Response.Headers["X-Accel-Buffering"] = "no";
        await context.Response.WriteAsync(": connected\n\n", cancellationToken);
        await context.Response.Body.FlushAsync(cancellationToken);
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        try
        {
            await foreach (var result in reader.ReadAllAsync(cancellationToken))
            {
                await context.Response.WriteAsync($"event: window\ndata: {JsonSerializer.Serialize(result, json)}\n\n", cancellationToken);
                await context.Response.Body.FlushAsync(cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The client went away.
        }
    }

    private static void Require(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[name] = ["is required"];
        }
    }

    private static DateTimeOffset? ParseTime(Dictionary<string, string[]> errors, string name, string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var time))
        {
            return time;
        }

        if (long.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var ms) && ms is > 0 and < 253_402_300_800_000)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(ms);
        }

        errors[name] = [$"'{value}' is neither an ISO-8601 time nor epoch milliseconds"];
        return null;
    }
}

/// <summary>The pipeline's counters as <c>/api/status</c> reports them.</summary>
public sealed record StatusView(long Received, double ReceivedPerSecond, long InFlight, long WindowResults,
    long LateReadings, long DeadLetters, long PointsWritten, long StreamEventsDropped, long DevicesEvicted, long Duplicates)
{
    /// <summary>Series (device, metric, window definition) the live view holds.</summary>
    public int Series { get; init; }

    /// <summary>Series the live view dropped because <c>ReactiveIngest:LiveView:MaxSeries</c> was reached.</summary>
    public long SeriesEvicted { get; init; }

    /// <summary>The latest window end of any result so far (null before the first).</summary>
    public DateTimeOffset? NewestWindowEnd { get; init; }

    /// <summary>Seconds from <see cref="NewestWindowEnd"/> to now: how far behind the clock window results are.</summary>
    public double? ResultLagSeconds { get; init; }

    /// <summary>Per configured source.</summary>
    public IReadOnlyList<SourceStatusView> Sources { get; init; } = [];

    /// <summary>Per configured window definition.</summary>
    public IReadOnlyList<WindowStatusView> Windows { get; init; } = [];

    /// <summary>One entry per open source journal (empty with the journal off).</summary>
    public IReadOnlyList<ReactiveIngest.Journal.Log.JournalStatistics> Journals { get; init; } = [];

    /// <summary>How the messages that entered the graph ended.</summary>
    public MessageOutcomesView? Messages { get; init; }

    /// <summary>Distinct devices and metric names taken in, against their limits.</summary>
    public CardinalityView? Cardinality { get; init; }

    /// <summary>Whether a graph runs, how often it was restarted, and its last failure.</summary>
    public GraphStatusView? Graph { get; init; }

    /// <summary>Conditions an operator should look at (a cardinality limit reached, no graph running); empty when none.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

/// <summary>How messages ended: <c>Received = Stored + DeadLettered + Duplicate</c> once nothing is in flight.</summary>
public sealed record MessageOutcomesView(long Received, long Stored, long DeadLettered, long Duplicate);

/// <summary>Distinct devices and metric names taken in, their limits, and the readings refused at the limits.</summary>
public sealed record CardinalityView(int Devices, int MaxDevices, int MetricNames, int MaxMetricNames, long Rejected);

/// <summary>The ingest graph's state: running, restarts after failures, the last failure (null if none).</summary>
public sealed record GraphStatusView(bool Running, long Restarts, string? LastFailure);

/// <summary>The dead-letter summary: totals, counts by reason and the most recent entries.</summary>
public sealed record DeadLettersView(long Total, IReadOnlyDictionary<string, long> ByReason, IReadOnlyList<DeadLetterView> Recent);

/// <summary>One dead letter with its reason and the original bytes (base64).</summary>
public sealed record DeadLetterView(string Reason, string Detail, string Source, string Topic, DateTimeOffset ReceivedAt, string PayloadBase64);

/// <summary>One entry of a top-N answer.</summary>
public sealed record TopEntry(string DeviceId, double Value, DateTimeOffset WindowStart, DateTimeOffset WindowEnd);
