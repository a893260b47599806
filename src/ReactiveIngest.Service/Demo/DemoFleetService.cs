using Microsoft.Extensions.Options;
using ReactiveIngest.Service.Outputs.DeadLetters;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Mqtt.Broker;
using ReactiveIngest.Service.Journaling;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Inputs.Mqtt;
using ReactiveIngest.Simulator.Faults;
using ReactiveIngest.Simulator.Fleet;
using ReactiveIngest.Simulator.Rate;
using ReactiveIngest.Simulator.Transport;

namespace ReactiveIngest.Service.Demo;

/// <summary>
/// Demo mode: starts the embedded MQTT broker, runs a simulated fleet against it, and prints a legend once and
/// then a status line each second (<see cref="DemoStatusFormatter"/>). Stops the fleet and the broker when the host stops.
/// </summary>
public sealed partial class DemoFleetService(
    IOptions<DemoOptions> options,
    PipelineStatus status,
    DeadLetterLog deadLetters,
    IServiceProvider services,
    IConfiguration configuration,
    ILogger<DemoFleetService> logger) : BackgroundService
{
    private EmbeddedMqttBroker? _broker;

    /// <inheritdoc />
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _broker = await EmbeddedMqttBroker.StartAsync(options.Value.BrokerPort);
        LogBroker(logger, _broker.Port);
        await base.StartAsync(cancellationToken);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var demo = options.Value;
        var fleet = new FleetRunner(
            new FleetOptions { Devices = demo.Devices, Connections = Math.Max(1, demo.Devices / 50), Seed = 7 },
            new RateOptions { IntervalMs = demo.IntervalMs, StartJitterMs = (int)Math.Min(demo.IntervalMs, 2000) },
            new FaultOptions { MalformedRatio = demo.MalformedRatio },
            new MqttTransport(new TransportOptions { Host = "127.0.0.1", Port = _broker!.Port, Qos = 1, ClientIdPrefix = "demo-device" }));
        var fleetRun = fleet.RunAsync(TimeSpan.FromDays(365), stoppingToken);
        var urls = configuration["ReactiveIngest:Http:Urls"] ?? "http://127.0.0.1:5080";
        Console.WriteLine($"ReactiveIngest demo: {demo.Devices} simulated devices → embedded MQTT broker 127.0.0.1:{_broker.Port} → pipeline. Dashboard and API: {urls}  (Ctrl+C stops)");
        var context = StatusContext();
        if (demo.StatusLine)
        {
            foreach (var line in DemoStatusFormatter.Legend(context))
            {
                Console.WriteLine(line);
            }
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        DemoStatus? previous = null;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (demo.StatusLine)
                {
                    var current = new DemoStatus(
                        DateTimeOffset.Now,
                        fleet.Stats.Accepted,
                        status.Sources.Sum(s => s.Messages),
                        status.Received,
                        services.GetService<RunningInputs>()?.InFlight ?? 0,
                        status.WindowResults,
                        status.LateReadings,
                        deadLetters.Total);
                    Console.WriteLine(DemoStatusFormatter.Line(previous, current, context));
                    previous = current;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }

        try
        {
            await fleetRun;
        }
        catch (OperationCanceledException)
        {
            // The fleet stops with the host.
        }
    }

    private DemoStatusContext StatusContext()
    {
        var pipeline = services.GetRequiredService<IOptions<PipelineOptions>>().Value;
        var windows = pipeline.EffectiveWindows;
        var longest = windows.Any(w => w.Kind == WindowKind.Session) ? (TimeSpan?)null : windows.Max(w => w.Size ?? TimeSpan.Zero);
        var mqtt = services.GetServices<IInput>().OfType<MqttInput>().Select(i => i.Definition).ToList();
        var journal = services.GetService<IOptions<JournalOptions>>()?.Value;
        var journaled = journal is { Enabled: true };
        return new DemoStatusContext(
            longest,
            pipeline.OutOfOrderness,
            pipeline.AllowedLateness,
            mqtt.Count == 0 ? null
                : journaled ? (long)journal!.MaxUnreleasedEntries * mqtt.Count
                : mqtt.Sum(m => (long)m.Settings.MaxInFlight * m.Settings.ConnectionCount),
            journaled);
    }

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_broker is not null)
        {
            await _broker.DisposeAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embedded MQTT broker listening on 127.0.0.1:{Port}")]
    private static partial void LogBroker(ILogger logger, int port);
}
