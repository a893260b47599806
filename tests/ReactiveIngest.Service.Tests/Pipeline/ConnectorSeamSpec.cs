using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.Codecs;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Service.Inputs;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Pipeline;

/// <summary>
/// "A connector is one folder": an input and an output written here, against the public seam only
/// (<see cref="IInput"/>, <see cref="IOutput"/>, registered in DI), carry readings end to end through the real host:
/// raw readings, final windows equal to the ground truth, a dead letter with its reason, every message acknowledged
/// once, and the input visible in /api/status.
/// </summary>
public sealed class ConnectorSeamSpec
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_input_and_an_output_registered_through_the_seam_should_carry_readings_end_to_end()
    {
        var input = new QueueInput("queue:test", new JsonReadingDecoder());
        var output = new ListOutput();
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:Sources:Http:Enabled", "false");
            b.UseSetting("ReactiveIngest:Pipeline:Windows:0:Name", "10s");
            b.UseSetting("ReactiveIngest:Pipeline:Windows:0:Size", "00:00:10");
            b.UseSetting("ReactiveIngest:Pipeline:OutOfOrderness", "00:00:01");
            b.UseSetting("ReactiveIngest:Pipeline:AllowedLateness", "00:00:00");
            b.ConfigureTestServices(services =>
            {
                services.AddSingleton<IInput>(input);
                services.AddSingleton<IOutput>(output);
            });
        });
        using var http = host.CreateClient();
        var queue = await input.Queue.WaitAsync(Patience);
        Assert.Single(host.Services.GetRequiredService<RunningInputs>().Current, i => i.Name == "queue:test");

        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        var acknowledged = 0;
        var sent = new List<(string Device, long Ts, double Value)>();
        async Task OfferAsync(string json)
        {
            var message = new RawMessage(Encoding.UTF8.GetBytes(json), new MessageContext("seam/test", 0), "queue:test");
            var ack = new CallbackAckHandle(() => Interlocked.Increment(ref acknowledged));
            Assert.Equal(QueueOfferResult.Enqueued.Instance, await queue.OfferAsync(new Envelope<RawMessage>(message, ack)));
        }

        for (var s = 0; s < 30; s++)
        {
            foreach (var device in new[] { "a", "b" })
            {
                var reading = (Device: device, Ts: baseMs + (s * 1000L), Value: s + (device == "a" ? 0.5 : 100.25));
                sent.Add(reading);
                await OfferAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"{{reading.Device}}","ts":{{reading.Ts}},"temperature":{{reading.Value}}}"""));
            }
        }

        await OfferAsync("{\"deviceId\":\"a\",\"ts\":");
        await OfferAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"a","ts":{{baseMs + 120_000}},"temperature":1}"""));
        await OfferAsync(string.Create(CultureInfo.InvariantCulture, $$"""{"deviceId":"b","ts":{{baseMs + 120_000}},"temperature":1}"""));

        var expected = sent.GroupBy(r => (r.Device, StartMs: baseMs + ((r.Ts - baseMs) / 10_000 * 10_000)))
            .ToDictionary(g => g.Key, g => (Count: (long)g.Count(), Sum: g.Sum(r => r.Value)));
        var deadline = DateTime.UtcNow + Patience;
        while (!(expected.Keys.All(output.Windows.ContainsKey) && output.Raw.Count >= sent.Count + 2 && !output.DeadLetters.IsEmpty))
        {
            Assert.True(DateTime.UtcNow < deadline, $"raw {output.Raw.Count}/{sent.Count + 2}, windows {output.Windows.Count}/{expected.Count}, dead letters {output.DeadLetters.Count}");
            await Task.Delay(50);
        }

        Assert.All(sent, r => Assert.Equal(r.Value, output.Raw[(r.Device, r.Ts)]));
        foreach (var (key, window) in expected)
        {
            Assert.Equal(window.Count, output.Windows[key].Count);
            Assert.Equal(window.Sum, output.Windows[key].Sum, 9);
        }

        var letter = Assert.Single(output.DeadLetters);
        Assert.Equal(RejectReason.MalformedPayload, letter.Reason);
        Assert.Equal("queue:test", letter.Source);

        // The two closing readings keep their own windows open; every message before them is acknowledged.
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        var status = await http.GetStringAsync(new Uri("/api/status", UriKind.Relative));
        Assert.Contains("\"name\":\"queue:test\"", status, StringComparison.Ordinal);
        deadline = DateTime.UtcNow + Patience;
        while (Volatile.Read(ref acknowledged) < sent.Count + 1)
        {
            Assert.True(DateTime.UtcNow < deadline, $"acknowledged {acknowledged} of {sent.Count + 1}");
            await Task.Delay(50);
        }
    }

    /// <summary>A throwaway output: keeps raw readings by identity, final window results by (device, start) and dead letters.</summary>
    private sealed class ListOutput : IOutput
    {
        public ConcurrentDictionary<(string Device, long TsMs), double> Raw { get; } = new();

        public ConcurrentDictionary<(string Device, long StartMs), (long Count, double Sum)> Windows { get; } = new();

        public ConcurrentQueue<DeadLetter> DeadLetters { get; } = new();

        public string Name => "list";

        Sink<Envelope<ReadingBatch>, Task>? IOutput.Readings() => Acked.ForEach<ReadingBatch>(batch =>
        {
            foreach (var r in batch)
            {
                Raw[(r.DeviceId, r.TimestampNs / 1_000_000)] = r.Value;
            }
        });

        Sink<Envelope<NamedWindowResult>, Task>? IOutput.Windows() => Acked.ForEach<NamedWindowResult>(named =>
        {
            var r = named.Result;
            if (r.Kind != EmissionKind.Early)
            {
                Windows[(r.Key.DeviceId, r.StartNs / 1_000_000)] = (r.Aggregates.Count, r.Aggregates.Sum);
            }
        });

        Sink<Envelope<DeadLetter>, Task>? IOutput.DeadLetters() => Acked.ForEach<DeadLetter>(DeadLetters.Enqueue);
    }
}
