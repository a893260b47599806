using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Akka.Streams.Dsl;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using ReactiveIngest.Core.DeadLetters;
using ReactiveIngest.Core.Windows;
using ReactiveIngest.Service.Live;
using ReactiveIngest.Service.Outputs;
using ReactiveIngest.Service.Pipeline;
using ReactiveIngest.Streams.Decoding;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Journal;
using Xunit;

namespace ReactiveIngest.Service.Tests.Hostile;

/// <summary>
/// Fault injection at the graph level: the raw output fails once in the middle of a stream (an infrastructure failure,
/// not one element's). The service must restart the graph after its backoff, say so in readiness and /metrics, answer
/// HTTP writes 503 meanwhile, and lose nothing: every reading stored, every window equal to the ground truth.
/// </summary>
public sealed class GraphRestartSpec
{
    private const int Devices = 3;
    private const int Seconds = 60;

    [Fact]
    public async Task A_graph_whose_output_fails_should_be_restarted_with_backoff_and_lose_nothing()
    {
        var outputs = new FailingOnceOutputs(failAtBatch: 40);
        await using var host = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting(TestJournalDirectory.Key, TestJournalDirectory.New());
            b.UseSetting("ReactiveIngest:Pipeline:Windows:0:Name", "10s");
            b.UseSetting("ReactiveIngest:Pipeline:Windows:0:Size", "00:00:10");
            b.UseSetting("ReactiveIngest:Pipeline:OutOfOrderness", "00:00:01");
            b.UseSetting("ReactiveIngest:Pipeline:AllowedLateness", "00:00:00");
            b.UseSetting("ReactiveIngest:Pipeline:IdleTimeout", "00:00:02");
            b.ConfigureTestServices(services => services.AddSingleton<IOutput>(outputs));
        });
        using var http = host.CreateClient();
        var graph = host.Services.GetRequiredService<GraphState>();
        var baseMs = (DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeMilliseconds() / 10_000) * 10_000;
        var sent = new List<(string Device, long Ts, double Value)>();
        for (var s = 0; s <= Seconds; s++)
        {
            // The last request, far ahead in event time, closes every window before it.
            var t = s < Seconds ? baseMs + (s * 1000L) : baseMs + 200_000;
            var objects = Enumerable.Range(0, Devices).Select(d => (Device: $"r{d}", Ts: t + d, Value: (s * 10) + d + 0.5)).ToList();
            if (s < Seconds)
            {
                sent.AddRange(objects);
            }

            var body = "[" + string.Join(",", objects.Select(o => FormattableString.Invariant($"{{\"deviceId\":\"{o.Device}\",\"ts\":{o.Ts},\"temperature\":{o.Value}}}"))) + "]";
            await PostUntilAcceptedAsync(http, body);
        }

        var expectedWindows = sent.GroupBy(r => (r.Device, Start: (r.Ts - baseMs) / 10_000))
            .ToDictionary(g => g.Key, g => (Count: (long)g.Count(), Sum: g.Sum(r => r.Value)));
        await WaitUntilAsync(
            () => graph.Restarts == 1 && graph.IsRunning && sent.All(r => outputs.StoredRaw.ContainsKey((r.Device, r.Ts))) &&
                expectedWindows.Keys.All(k => outputs.StoredWindows.ContainsKey((k.Device, baseMs + (k.Start * 10_000)))),
            () => $"restarts {graph.Restarts}, running {graph.IsRunning}, raw {outputs.StoredRaw.Count}/{sent.Count}, final windows {outputs.StoredWindows.Count}/{expectedWindows.Count}");

        Assert.True(outputs.Failed, "the injected failure happened");
        foreach (var ((device, start), expected) in expectedWindows)
        {
            var stored = outputs.StoredWindows[(device, baseMs + (start * 10_000))];
            Assert.True(expected == stored, $"window {device}@{start * 10}s: expected {expected}, stored {stored}");
        }

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri("/health/ready", UriKind.Relative))).StatusCode);
        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        var restartLines = string.Join(" | ", metrics.Split('\n').Where(l => l.Contains("restarts", StringComparison.Ordinal)));
        Assert.True(
            metrics.Contains("reactiveingest_pipeline_restarts_total{otel_scope_name=\"ReactiveIngest.Pipeline\"} 1", StringComparison.Ordinal),
            $"/metrics counts one restart; its restart lines: {restartLines}");
        Assert.StartsWith("InvalidOperationException: injected", graph.LastFailure, StringComparison.Ordinal);

    }

    /// <summary>Posts until 202; while the graph restarts the answer must be 503 with Retry-After (how many meet it depends on timing).</summary>
    private static async Task PostUntilAcceptedAsync(HttpClient http, string body)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/api/ingest", UriKind.Relative), content);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                return;
            }

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(DateTime.UtcNow < deadline, "HTTP ingest stayed unavailable");
            await Task.Delay(200);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Func<string> describe)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting: {describe()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Outputs that keep what they are given (raw readings by identity, the last final result per window) and fail the raw sink once.</summary>
    private sealed class FailingOnceOutputs(int failAtBatch) : IOutput
    {
        private int _batches;
        private int _failed;

        public ConcurrentDictionary<(string Device, long TsMs), double> StoredRaw { get; } = new();

        public ConcurrentDictionary<(string Device, long StartMs), (long Count, double Sum)> StoredWindows { get; } = new();

        public bool Failed => Volatile.Read(ref _failed) == 1;

        public string Name => "failing once";

        public Sink<Envelope<ReadingBatch>, Task> Readings() =>
            Sink.ForEach<Envelope<ReadingBatch>>(e =>
            {
                if (Interlocked.Increment(ref _batches) == failAtBatch && Interlocked.Exchange(ref _failed, 1) == 0)
                {
                    throw new InvalidOperationException("injected: the raw output is down");
                }

                foreach (var reading in e.Payload)
                {
                    StoredRaw[(reading.DeviceId, reading.TimestampNs / 1_000_000)] = reading.Value;
                }

                e.Ack.Release();
            }).MapMaterializedValue(t => (Task)t);

        public Sink<Envelope<NamedWindowResult>, Task> Windows() =>
            Sink.ForEach<Envelope<NamedWindowResult>>(e =>
            {
                var r = e.Payload.Result;
                if (r.Kind != EmissionKind.Early)
                {
                    StoredWindows[(r.Key.DeviceId, r.StartNs / 1_000_000)] = (r.Aggregates.Count, r.Aggregates.Sum);
                }

                e.Ack.Release();
            }).MapMaterializedValue(t => (Task)t);

        public Sink<Envelope<DeadLetter>, Task> DeadLetters() =>
            Sink.ForEach<Envelope<DeadLetter>>(e => e.Ack.Release()).MapMaterializedValue(t => (Task)t);
    }
}
