// Sample: a custom Rx transform plugged into an Akka.Streams pipeline. EwmaTransform.Ewma (an IObservable<Reading> →
// IObservable<SmoothedReading> function, written like the built-in transforms in ReactiveIngest.Streams/Transforms)
// runs inside RxTransform.Create, after the built-in Deadband transform, on readings generated with Source.From:
// two devices' temperatures with noise, 20 per second. Every emitted element is printed ("smoothed …"), then a
// summary; it runs for the given seconds and exits 0 if the transform emitted anything.
// Usage: dotnet run --project samples/CustomRxTransform -- <seconds>
using System.Globalization;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Samples.CustomRxTransform;
using ReactiveIngest.Streams.Transforms;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 5;
using var system = ActorSystem.Create("custom-rx-transform");
var materializer = system.Materializer();

// An endless, deterministic sequence of readings (noise from a seeded Random); the stream is throttled and cut by time.
static IEnumerable<Reading> Generate()
{
    var random = new Random(7);
    for (var i = 0L; ; i++)
    {
        var device = i % 2 == 0 ? "boiler-1" : "boiler-2";
        var baseline = i % 2 == 0 ? 60.0 : 75.0;
        yield return new Reading(device, "temperature", UnixTime.Now(TimeProvider.System), baseline + ((random.NextDouble() - 0.5) * 4));
    }
}

var emitted = await Source.From(Generate())
    .Throttle(20, TimeSpan.FromSeconds(1), 20, ThrottleMode.Shaping)
    .TakeWithin(TimeSpan.FromSeconds(seconds))
    .Via(RxTransform.Create<Reading, SmoothedReading>(readings => readings.Deadband(0.5).Ewma(alpha: 0.2)))
    .RunAggregate(0, (count, s) =>
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"smoothed {s.Reading.DeviceId}/{s.Reading.Metric} value={s.Reading.Value:F2} ewma={s.Average:F2}"));
        return count + 1;
    }, materializer);

Console.WriteLine($"{emitted} smoothed readings emitted");
return emitted > 0 ? 0 : 1;
