using System.Collections.Concurrent;
using System.Text;
using Akka.Streams;
using Akka.Streams.Dsl;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Journal.Log;
using ReactiveIngest.Journal.Stages;
using ReactiveIngest.Journal.Tests.Support;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Servers;
using Xunit;

namespace ReactiveIngest.Journal.Tests.Stages;

public sealed class JournaledSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<MosquittoFixture>
{
    private readonly MosquittoFixture _broker;
    private readonly TempJournal _dir = new();

    public JournaledSpec(MosquittoFixture broker) => _broker = broker;

    [Fact]
    public async Task The_flow_should_release_upstream_handles_at_commit_and_emit_entries_whose_release_truncates_the_journal()
    {
        await using var journal = SourceJournal.Open(_dir.Settings());
        var upstreamReleased = 0;
        var inputs = Enumerable.Range(0, 30).Select(i => new Envelope<RawMessage>(TempJournal.Message(i), new CallbackAckHandle(() => Interlocked.Increment(ref upstreamReleased))));
        var seen = new ConcurrentQueue<int>();

        await Source.From(inputs).Concat(Source.Never<Envelope<RawMessage>>())
            .Via(Journaled.Flow(journal))
            .Take(30)
            .RunForeach(e =>
            {
                seen.Enqueue(TempJournal.SeqOf(e.Payload));
                e.Ack.Release();
            }, Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(Enumerable.Range(0, 30), seen);
        Assert.Equal(30, Volatile.Read(ref upstreamReleased));
        await journal.CommitAsync();
        var stats = journal.Statistics;
        Assert.Equal((0L, stats.TailAddress), (stats.EntriesPending, stats.TruncatedUntil));
    }

    [Fact]
    public async Task The_flow_should_complete_after_upstream_completes_and_every_entry_was_emitted()
    {
        await using var journal = SourceJournal.Open(_dir.Settings());
        var all = await Source.From(Enumerable.Range(0, 10).Select(i => new Envelope<RawMessage>(TempJournal.Message(i), AckHandle.None)))
            .Via(Journaled.Flow(journal))
            .RunWith(Sink.Seq<Envelope<RawMessage>>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 10), all.Select(e => TempJournal.SeqOf(e.Payload)));
    }

    [Fact]
    public async Task The_flow_should_stop_pulling_upstream_while_the_budget_is_full_and_go_on_once_entries_are_released()
    {
        await using var journal = SourceJournal.Open(_dir.Settings() with { DiskBudget = 2 * 1024 * 1024 });
        var pulled = 0;
        var big = Enumerable.Range(0, 200).Select(i =>
        {
            Interlocked.Increment(ref pulled);
            return new Envelope<RawMessage>(new RawMessage(Encoding.UTF8.GetBytes($"{{\"seq\":{i},\"pad\":\"{new string('x', 20_000)}\"}}"), new MessageContext("t", i), "s"), AckHandle.None);
        });
        var held = new ConcurrentQueue<Envelope<RawMessage>>();
        var done = Source.From(big).Via(Journaled.Flow(journal)).RunForeach(held.Enqueue, Sys.Materializer());

        await Eventually.TrueAsync(() => journal.IsFull, "the budget fills");
        await Task.Delay(300);
        var atFull = Volatile.Read(ref pulled);
        await Task.Delay(300);
        Assert.True(Volatile.Read(ref pulled) <= atFull + 1, "upstream is not pulled while the journal is full");
        Assert.True(atFull < 200);

        // Release everything emitted so far, and what follows: the journal truncates and the rest flows.
        var released = 0;
        await Eventually.TrueAsync(() =>
        {
            while (held.TryDequeue(out var e))
            {
                e.Ack.Release();
                released++;
            }

            return released == 200;
        }, "all 200 entries emitted and released", 60);
        await done.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Mqtt_messages_should_be_acknowledged_to_the_broker_only_after_their_journal_commit()
    {
        var topic = $"journal/{Guid.NewGuid():N}";
        var settings = MqttSourceSettings.Builder()
            .WithName("mqtt:test")
            .WithBroker(_broker.Server.Host, _broker.Server.Port)
            .WithClientId($"journal-{Guid.NewGuid():N}")
            .WithTopic(topic, MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await using var journal = SourceJournal.Open(_dir.Settings() with { ManualCommit = true });
        var emitted = new ConcurrentQueue<Envelope<RawMessage>>();
        var (control, done) = MqttSource.Create(settings)
            .Via(Journaled.Flow(journal))
            .ToMaterialized(Sink.ForEach<Envelope<RawMessage>>(emitted.Enqueue), Keep.Both)
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(30));
        using (var publisher = new MqttClientFactory().CreateMqttClient())
        {
            await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer(_broker.Server.Host, _broker.Server.Port).Build());
            for (var i = 0; i < 10; i++)
            {
                await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(TempJournal.Message(i).Payload.ToArray()).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }
        }

        await Eventually.TrueAsync(() => journal.Statistics.Appended == 10, "10 messages appended");
        await Task.Delay(500);
        Assert.Equal((10L, 0L), (control.Statistics.Received, control.Statistics.Acknowledged));
        Assert.Empty(emitted);

        await journal.CommitAsync();

        await Eventually.TrueAsync(() => control.Statistics.Acknowledged == 10, "10 acknowledged after the commit");
        await Eventually.TrueAsync(() => emitted.Count == 10, "10 emitted from the journal");
        Assert.Equal(Enumerable.Range(0, 10), emitted.Select(e => TempJournal.SeqOf(e.Payload)));
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        _ = done;
    }

    protected override void Dispose(bool disposing)
    {
        _dir.Dispose();
        base.Dispose(disposing);
    }

    [Fact]
    public async Task A_message_larger_than_a_page_should_be_journaled_as_its_oversize_head_without_failing_the_stage()
    {
        await using var journal = SourceJournal.Open(_dir.Settings());
        var released = 0;
        var huge = new RawMessage(new byte[3 * 64 * 1024], new MessageContext("t", 1), "s");
        var inputs = new[] { TempJournal.Message(0), huge, TempJournal.Message(2) }
            .Select(m => new Envelope<RawMessage>(m, new CallbackAckHandle(() => Interlocked.Increment(ref released))));
        var all = await Source.From(inputs)
            .Via(Journaled.Flow(journal))
            .RunWith(Sink.Seq<Envelope<RawMessage>>(), Sys.Materializer())
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, all.Count);
        Assert.Equal([0, 2], new[] { all[0], all[2] }.Select(e => TempJournal.SeqOf(e.Payload)));
        Assert.True(all[1].Payload.IsOversize);
        Assert.Equal((3 * 64 * 1024) + 1, all[1].Payload.OversizeBytes); // payload and the one-byte topic
        Assert.Equal(1024, all[1].Payload.Payload.Length);
        Assert.Equal(3, Volatile.Read(ref released));
    }
}
