namespace ReactiveIngest.Core.Tests.Codecs;

#pragma warning disable CA1819 // Generated test data: arrays are the natural shape and never shared.

/// <summary>A tag for a generated line.</summary>
public sealed record TestTag(string Key, string Value);

/// <summary>A field for a generated line.</summary>
public sealed record TestField(string Key, TestFieldValue Value);

/// <summary>One generated line-protocol point.</summary>
public sealed record TestLine(string Measurement, string DeviceId, TestTag[] Tags, TestField[] Fields, long Timestamp)
{
    public override string ToString() =>
        $"{Measurement} | {DeviceId} | {string.Join(";", Tags.Select(t => $"{t.Key}={t.Value}"))} | {string.Join(";", Fields.Select(f => $"{f.Key}={f.Value}"))} | {Timestamp}";
}

/// <summary>Lines to encode and decode, with the naming mode to use.</summary>
public sealed record LineProtocolCase(TestLine[] Lines, bool MeasurementAndField)
{
    public override string ToString() => $"naming={(MeasurementAndField ? "measurement.field" : "field")}\n{string.Join("\n", Lines.Select(l => l.ToString()))}";
}

/// <summary>A metric name and value.</summary>
public sealed record TestMetric(string Name, double Value);

/// <summary>One nested JSON object to round-trip.</summary>
public sealed record JsonCase(string DeviceId, long TimestampNs, TestMetric[] Metrics, string Site, string? Room)
{
    public override string ToString() => $"{DeviceId} {TimestampNs} site={Site} room={Room} [{string.Join(";", Metrics.Select(m => $"{m.Name}={m.Value:R}"))}]";
}

/// <summary>One flat JSON object of an array.</summary>
public sealed record FlatJsonObject(string DeviceId, long TimestampNs, TestMetric[] Metrics);

/// <summary>A top-level array of flat JSON objects.</summary>
public sealed record FlatJsonCase(FlatJsonObject[] Objects)
{
    public override string ToString() => string.Join("\n", Objects.Select(o => $"{o.DeviceId} {o.TimestampNs} [{string.Join(";", o.Metrics.Select(m => $"{m.Name}={m.Value:R}"))}]"));
}
