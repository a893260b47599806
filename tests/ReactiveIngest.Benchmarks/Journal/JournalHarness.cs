using System.Diagnostics;
using System.Globalization;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Simulator.Rate;

namespace ReactiveIngest.Benchmarks.Journal;

/// <summary>
/// Journal append + commit throughput and the latency a message gains from it (append until its commit callback, the
/// moment MQTT would send the PUBACK and HTTP the 202), on a real journal directory. A reader drains and releases
/// concurrently, so truncation runs as in the service.
/// <code>dotnet run -c Release --project tests/ReactiveIngest.Benchmarks -- --journal [--messages 500000] [--payload 200] [--producers 2] [--commit-ms 5] [--rate MSG_PER_S] [--dir PATH]</code>
/// Without <c>--rate</c> producers append as fast as they can (throughput; latency then includes queueing behind
/// the disk); with it they pace themselves (the latency a message gains at that rate).
/// <code></code>
/// </summary>
internal static class JournalHarness
{
    public static async Task<int> RunAsync(string[] args)
    {
        var messages = Option(args, "--messages", 500_000);
        var payloadBytes = Option(args, "--payload", 200);
        var producers = Option(args, "--producers", 2);
        var commitMs = Option(args, "--commit-ms", 5);
        var rate = Option(args, "--rate", 0);
        var dir = OptionText(args, "--dir") ?? Path.Combine(Path.GetTempPath(), $"ri-journal-bench-{Guid.NewGuid():N}");
        var settings = new JournalSettings(Path.Combine(dir, "mqtt_bench"), "mqtt:bench") { CommitInterval = TimeSpan.FromMilliseconds(commitMs) };
        var latency = new LatencyRecorder();
        try
        {
            await using var journal = SourceJournal.Open(settings);
            var payload = new byte[payloadBytes];
            Array.Fill(payload, (byte)'x');
            long committed = 0;
            var allCommitted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var stopReading = new CancellationTokenSource();
            var reader = Task.Run(() => Drain(journal, stopReading.Token));
            var started = Stopwatch.GetTimestamp();
            var perProducer = messages / producers;
            var total = perProducer * producers;
            await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
            {
                var interval = rate > 0 ? producers / (double)rate : 0;
                var producerStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < perProducer; i++)
                {
                    if (interval > 0 && i % 50 == 0)
                    {
                        var due = TimeSpan.FromSeconds(i * interval) - Stopwatch.GetElapsedTime(producerStart);
                        if (due > TimeSpan.Zero)
                        {
                            await Task.Delay(due);
                        }
                    }

                    var message = new RawMessage(payload, new MessageContext($"sites/s1/devices/d{p}-{i % 100}/telemetry", i), "mqtt:bench", p);
                    var appendedAt = Stopwatch.GetTimestamp();
                    void OnCommitted()
                    {
                        latency.Record(Micros(appendedAt), Micros(Stopwatch.GetTimestamp()));
                        if (Interlocked.Increment(ref committed) == total)
                        {
                            allCommitted.TrySetResult();
                        }
                    }

                    JournalAppendStatus status;
                    while ((status = journal.TryAppend(message, acknowledged: true, OnCommitted)) != JournalAppendStatus.Appended)
                    {
                        if (status == JournalAppendStatus.Completed)
                        {
                            throw new InvalidOperationException("journal closed");
                        }

                        await Task.Delay(1);
                    }
                }
            })));
            await allCommitted.Task.WaitAsync(TimeSpan.FromMinutes(10));
            var elapsed = Stopwatch.GetElapsedTime(started);
            await stopReading.CancelAsync();
            var read = await reader;
            var stats = journal.Statistics;
            var summary = latency.Summary()!;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"journal: {total:N0} messages of {payloadBytes} B from {producers} producers{(rate > 0 ? $" paced to {rate:N0} msg/s" : " unpaced")}, commit interval {commitMs} ms: " +
                $"{total / elapsed.TotalSeconds:N0} msg/s appended and committed in {elapsed.TotalSeconds:F2} s; " +
                $"added latency (append → commit callback) p50 {summary.P50:F2} ms, p99 {summary.P99:F2} ms, max {summary.Max:F2} ms; " +
                $"{stats.Commits:N0} commits ({total / (double)Math.Max(1, stats.Commits):N0} messages per commit), {read:N0} read and released, {stats.BytesUsed:N0} bytes left untruncated"));
            return 0;
        }
        finally
        {
            if (OptionText(args, "--dir") is null)
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    private static async Task<long> Drain(SourceJournal journal, CancellationToken stop)
    {
        long read = 0;
        while (!stop.IsCancellationRequested)
        {
            var any = false;
            while (journal.TryRead(out var envelope))
            {
                envelope.Ack.Release();
                read++;
                any = true;
            }

            if (!any)
            {
                try
                {
                    await Task.Delay(1, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        while (journal.TryRead(out var rest))
        {
            rest.Ack.Release();
            read++;
        }

        return read;
    }

    private static long Micros(long timestamp) => timestamp * 1_000_000 / Stopwatch.Frequency;

    private static int Option(string[] args, string name, int fallback) =>
        OptionText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    private static string? OptionText(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
