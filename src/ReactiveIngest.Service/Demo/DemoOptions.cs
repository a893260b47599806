namespace ReactiveIngest.Service.Demo;

/// <summary>Demo mode (<c>-- demo</c>): embedded broker and simulated fleet. Section <c>ReactiveIngest:Demo</c>.</summary>
public sealed class DemoOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "ReactiveIngest:Demo";

    /// <summary>Set by the <c>demo</c> command.</summary>
    public bool Enabled { get; set; }

    /// <summary>Port of the embedded MQTT broker on 127.0.0.1 (0 picks a free port at start).</summary>
    public int BrokerPort { get; set; }

    /// <summary>Simulated devices.</summary>
    public int Devices { get; set; } = 200;

    /// <summary>Milliseconds between two readings of one device.</summary>
    public double IntervalMs { get; set; } = 1000;

    /// <summary>Share of malformed payloads the fleet sends, to show the dead-letter output.</summary>
    public double MalformedRatio { get; set; } = 0.002;

    /// <summary>Print a status line every second.</summary>
    public bool StatusLine { get; set; } = true;
}
