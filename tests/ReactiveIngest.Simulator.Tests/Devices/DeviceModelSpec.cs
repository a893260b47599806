using ReactiveIngest.Simulator.Devices;
using Xunit;

namespace ReactiveIngest.Simulator.Tests.Devices;

public sealed class DeviceModelSpec
{
    private const long Start = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    public static TheoryData<DeviceKind> Kinds => new() { DeviceKind.Environmental, DeviceKind.Vibration, DeviceKind.PowerMeter, DeviceKind.GpsTracker, DeviceKind.Battery };

    private static IDeviceModel Create(DeviceKind kind, ulong seed, int device) => kind switch
    {
        DeviceKind.Environmental => new EnvironmentalSensorModel(seed, device),
        DeviceKind.Vibration => new VibrationSensorModel(seed, device, 10),
        DeviceKind.PowerMeter => new PowerMeterModel(seed, device),
        DeviceKind.GpsTracker => new GpsTrackerModel(seed, device),
        _ => new BatteryModel(seed, device),
    };

    private static double[] Sample(IDeviceModel model, long timeMs)
    {
        var values = new double[model.Metrics.Count];
        model.Sample(timeMs, values);
        return values;
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Same_seed_device_and_time_should_give_the_same_values_in_any_order(DeviceKind kind)
    {
        var times = Enumerable.Range(0, 200).Select(i => Start + (i * 7_919L)).ToArray();
        var forward = times.Select(t => Sample(Create(kind, 42, 3), t)).ToArray();
        var fresh = Create(kind, 42, 3);
        var backward = times.Reverse().Select(t => Sample(fresh, t)).Reverse().ToArray();
        for (var i = 0; i < times.Length; i++)
        {
            Assert.Equal(forward[i], backward[i]);
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Different_devices_and_different_seeds_should_give_different_values(DeviceKind kind)
    {
        var a = Sample(Create(kind, 42, 3), Start);
        var otherDevice = Sample(Create(kind, 42, 4), Start);
        var otherSeed = Sample(Create(kind, 43, 3), Start);
        Assert.NotEqual(a[0], otherDevice[0]);
        Assert.NotEqual(a[0], otherSeed[0]);
    }

    [Fact]
    public void Energy_counter_should_never_decrease_and_power_should_stay_positive()
    {
        for (var device = 0; device < 50; device++)
        {
            var meter = new PowerMeterModel(7, device);
            var previous = double.MinValue;
            for (var t = Start; t < Start + (2 * 86_400_000L); t += 60_000)
            {
                var values = Sample(meter, t);
                Assert.True(values[1] > previous, $"energy went from {previous} to {values[1]} at {t} (device {device})");
                Assert.True(values[0] > 0);
                previous = values[1];
            }
        }
    }

    [Fact]
    public void Battery_level_should_stay_within_0_and_100_and_both_drain_and_charge()
    {
        for (var device = 0; device < 50; device++)
        {
            var battery = new BatteryModel(7, device);
            var rose = false;
            var fell = false;
            var previous = Sample(battery, Start)[0];
            for (var t = Start; t < Start + (2 * 86_400_000L); t += 300_000)
            {
                var level = Sample(battery, t)[0];
                Assert.InRange(level, 0, 100);
                rose |= level > previous + 1;
                fell |= level < previous - 0.5;
                previous = level;
            }

            Assert.True(rose && fell, $"device {device} should both charge and drain within two days");
        }
    }

    [Fact]
    public void Gps_speed_should_stay_within_bounds_and_match_the_distance_travelled()
    {
        for (var device = 0; device < 30; device++)
        {
            var gps = new GpsTrackerModel(7, device);
            for (var t = Start; t < Start + 3_600_000L; t += 10_000)
            {
                var a = Sample(gps, t);
                var b = Sample(gps, t + 1000);
                Assert.InRange(a[2], 0, GpsTrackerModel.MaxSpeedKmh);
                Assert.InRange(a[3], 0, 360);
                var northKm = (b[0] - a[0]) * 111.32;
                var eastKm = (b[1] - a[1]) * 111.32 * Math.Cos(a[0] * Math.PI / 180);
                var kmh = Math.Sqrt((northKm * northKm) + (eastKm * eastKm)) * 3600;
                Assert.InRange(kmh, (a[2] * 0.9) - 1, (a[2] * 1.1) + 1);
            }
        }
    }

    [Fact]
    public void Environmental_temperature_should_follow_a_daily_cycle_and_humidity_stay_in_range()
    {
        var sensor = new EnvironmentalSensorModel(7, 1);
        var day = Enumerable.Range(0, 24).Select(h => Sample(sensor, Start + (h * 3_600_000L))).ToArray();
        Assert.All(day, v => Assert.InRange(v[1], 0, 100));
        var temperatures = day.Select(v => v[0]).ToArray();
        Assert.True(temperatures.Max() - temperatures.Min() > 2, "a daily swing of more than 2 °C");
        Assert.True(Array.IndexOf(temperatures, temperatures.Max()) is >= 10 and <= 20, "the warmest hour is in the afternoon");
    }

    [Fact]
    public void Vibration_should_have_bursts_with_much_higher_amplitude()
    {
        var sensor = new VibrationSensorModel(7, 5, 10);
        var times = Enumerable.Range(0, 20_000).Select(i => Start + (i * 1000L)).ToArray();
        var burst = times.Where(sensor.IsBurst).Select(t => Sample(sensor, t)[0]).ToArray();
        var calm = times.Where(t => !sensor.IsBurst(t)).Select(t => Sample(sensor, t)[0]).ToArray();
        Assert.NotEmpty(burst);
        Assert.True(burst.Average() > 3 * calm.Average());
    }
}
