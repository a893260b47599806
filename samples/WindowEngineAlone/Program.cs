// Sample: the event-time window engine of ReactiveIngest.Core on its own, without Akka or any server.
// It feeds readings from three simulated devices (one of them lagging three seconds behind the others) into
// a 10 s tumbling window engine, and prints every window result as the watermark closes it; the watermark's
// out-of-orderness allowance keeps the lagging device's readings in their windows (ReadingsLate = 0). Usage: dotnet run --project samples/WindowEngineAlone -- [seconds]
// (seconds of simulated event time, default 60; the program runs as fast as it can and exits 0).
using System.Globalization;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Windows;

var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 60;
var results = 0;
var engine = new WindowEngine(
    new WindowOptions(WindowSpec.Tumbling(TimeSpan.FromSeconds(10))) { AllowedLateness = TimeSpan.FromSeconds(2) },
    r =>
    {
        results++;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{UnixTime.ToDateTimeOffset(r.StartNs):HH:mm:ss}-{UnixTime.ToDateTimeOffset(r.EndNs):HH:mm:ss} {r.Key.DeviceId,-6} {r.Key.Metric} " +
            $"{r.Kind} rev={r.Revision} count={r.Aggregates.Count} mean={r.Aggregates.Mean:F2} p95={r.Aggregates.P95:F2}"));
    });

var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 10 * 10 * 1_000_000_000L;
for (var s = 0; s < seconds; s++)
{
    var ts = start + (s * 1_000_000_000L);
    engine.Add(new Reading("dev-a", "temperature", ts, 20 + Math.Sin(s / 5.0)));
    engine.Add(new Reading("dev-b", "temperature", ts, 25 + Math.Cos(s / 5.0)));

    // dev-c's readings arrive three seconds behind: within the watermark's out-of-orderness, so none is late.
    if (s >= 3)
    {
        engine.Add(new Reading("dev-c", "temperature", ts - 3_000_000_000L, 18 + (s % 4)));
    }
}

engine.CloseAll();
var c = engine.Counters;
Console.WriteLine($"{results} results; counters: {c}");
return results > 0 ? 0 : 1;
