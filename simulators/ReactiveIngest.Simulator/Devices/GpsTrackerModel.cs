namespace ReactiveIngest.Simulator.Devices;

/// <summary>
/// Vehicle tracker driving round a circular route. The distance along the route is
/// s(t) = v·t + (A/ω)·sin(ωt + φ) with A &lt; v, so the speed v + A·cos(ωt + φ) stays within
/// [v − A, v + A] ⊂ [0, <see cref="MaxSpeedKmh"/>]; the heading is the tangent of the circle.
/// </summary>
public sealed class GpsTrackerModel : IDeviceModel
{
    /// <summary>No tracker goes faster than this.</summary>
    public const double MaxSpeedKmh = 130;

    private const double KmPerDegreeLatitude = 111.32;

    private readonly double _centerLat;
    private readonly double _centerLon;
    private readonly double _radiusKm;
    private readonly double _meanSpeedKmh;
    private readonly double _speedSwingKmh;
    private readonly double _omegaPerHour;
    private readonly double _phase;

    /// <summary>Creates the model of device <paramref name="device"/> with parameters drawn from <paramref name="seed"/>.</summary>
    public GpsTrackerModel(ulong seed, int device)
    {
        var p = new ModelParameters(seed, device);
        _centerLat = p.Get(0, 40, 55);
        _centerLon = p.Get(1, -5, 20);
        _radiusKm = p.Get(2, 1, 8);
        _meanSpeedKmh = p.Get(3, 15, 80);
        _speedSwingKmh = _meanSpeedKmh * p.Get(4, 0.2, 0.9);
        _omegaPerHour = 2 * Math.PI / p.Get(5, 0.05, 0.5);
        _phase = p.Get(6, 0, 2 * Math.PI);
        Decimals = 5 + (int)p.Get(7, 0, 2);
    }

    /// <inheritdoc />
    public DeviceKind Kind => DeviceKind.GpsTracker;

    /// <inheritdoc />
    public IReadOnlyList<string> Metrics { get; } = ["lat", "lon", "speed_kmh", "heading_deg"];

    /// <inheritdoc />
    public int Decimals { get; }

    /// <inheritdoc />
    public int RateMultiplier => 1;

    /// <summary>The route radius in km.</summary>
    public double RadiusKm => _radiusKm;

    /// <inheritdoc />
    public void Sample(long timeMs, Span<double> values)
    {
        var hours = (timeMs - ModelTime.ReferenceMs) / (double)ModelTime.HourMs;
        var wave = (_omegaPerHour * hours) + _phase;
        var distanceKm = (_meanSpeedKmh * hours) + (_speedSwingKmh / _omegaPerHour * Math.Sin(wave));
        var speed = _meanSpeedKmh + (_speedSwingKmh * Math.Cos(wave));
        var angle = distanceKm / _radiusKm;
        var eastKm = _radiusKm * Math.Cos(angle);
        var northKm = _radiusKm * Math.Sin(angle);
        var heading = Math.Atan2(-Math.Sin(angle), Math.Cos(angle)) * 180 / Math.PI;
        values[0] = _centerLat + (northKm / KmPerDegreeLatitude);
        values[1] = _centerLon + (eastKm / (KmPerDegreeLatitude * Math.Cos(_centerLat * Math.PI / 180)));
        values[2] = Math.Clamp(speed, 0, MaxSpeedKmh);
        values[3] = heading < 0 ? heading + 360 : heading;
    }
}
