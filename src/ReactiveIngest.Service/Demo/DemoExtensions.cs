using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace ReactiveIngest.Service.Demo;

/// <summary>Turns the <c>demo</c> command into configuration and services.</summary>
public static class DemoExtensions
{
    /// <summary>
    /// When <paramref name="demo"/> (the <c>demo</c> command): an embedded MQTT broker on a free loopback port, an MQTT source for the
    /// simulated fleet's topics, two windows (10 s tumbling, 1 min hopping by 10 s), and the fleet itself.
    /// Settings given in appsettings.json, environment variables or on the command line still apply on top.
    /// </summary>
    public static WebApplicationBuilder AddDemoMode(this WebApplicationBuilder builder, bool demo)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!demo)
        {
            if (builder.Configuration.GetValue<bool>($"{DemoOptions.SectionName}:Enabled"))
            {
                Register(builder);
            }

            return builder;
        }

        var port = builder.Configuration.GetValue<int?>($"{DemoOptions.SectionName}:BrokerPort") is { } p and > 0 ? p : FreePort();
        var defaults = new Dictionary<string, string?>
        {
            [$"{DemoOptions.SectionName}:Enabled"] = "true",
            [$"{DemoOptions.SectionName}:BrokerPort"] = port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Name"] = "mqtt:demo",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Host"] = "127.0.0.1",
            ["ReactiveIngest:Sources:Mqtt:0:Connection:Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["ReactiveIngest:Sources:Mqtt:0:Connection:ClientId"] = "reactiveingest-demo",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Filter"] = "sites/+/devices/+/telemetry",
            ["ReactiveIngest:Sources:Mqtt:0:Subscriptions:0:Qos"] = "AtLeastOnce",
            // A message is acknowledged once every window holding its readings is stored, so the unacknowledged
            // bound must cover rate × (longest window + out-of-orderness): 200 devices/s × ~75 s ≈ 15,000.
            ["ReactiveIngest:Sources:Mqtt:0:MaxInFlight"] = "50000",
            ["ReactiveIngest:Sources:Mqtt:0:BufferSize"] = "2000",
            ["ReactiveIngest:Sources:Mqtt:0:Json:TopicTemplate"] = "sites/{site}/devices/{deviceId}/telemetry",
            ["ReactiveIngest:Pipeline:Windows:0:Name"] = "10s",
            ["ReactiveIngest:Pipeline:Windows:0:Kind"] = "Tumbling",
            ["ReactiveIngest:Pipeline:Windows:0:Size"] = "10s",
            ["ReactiveIngest:Pipeline:Windows:1:Name"] = "1m",
            ["ReactiveIngest:Pipeline:Windows:1:Kind"] = "Hopping",
            ["ReactiveIngest:Pipeline:Windows:1:Size"] = "1m",
            ["ReactiveIngest:Pipeline:Windows:1:Slide"] = "10s",
            ["ReactiveIngest:Pipeline:OutOfOrderness"] = "2s",
            ["ReactiveIngest:Pipeline:IdleTimeout"] = "5s",
        };

        // Demo defaults go first so that the user's own configuration sources keep priority.
        var sources = builder.Configuration.Sources.ToList();
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(defaults);
        foreach (var source in sources)
        {
            builder.Configuration.Sources.Add(source);
        }

        Register(builder);
        return builder;
    }

    private static void Register(WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DemoOptions>().BindConfiguration(DemoOptions.SectionName)
            .Validate(o => o.Devices is > 0 and <= 100_000, $"{DemoOptions.SectionName}:Devices must be between 1 and 100000.")
            .Validate(o => o.IntervalMs >= 10, $"{DemoOptions.SectionName}:IntervalMs must be at least 10.")
            .Validate(o => o.MalformedRatio is >= 0 and <= 1, $"{DemoOptions.SectionName}:MalformedRatio must be between 0 and 1.")
            .ValidateOnStart();

        // Registered before the pipeline so the broker is up when the MQTT source connects.
        builder.Services.AddHostedService<DemoFleetService>();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
