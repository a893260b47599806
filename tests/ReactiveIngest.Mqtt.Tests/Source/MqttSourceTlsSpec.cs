using System.Collections.Concurrent;
using Akka.Event;
using Akka.Streams;
using Akka.Streams.Dsl;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Mqtt.Source;
using ReactiveIngest.Mqtt.Tests.Support;
using ReactiveIngest.Streams.Delivery;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Mqtt.Tests.Source;

/// <summary>
/// MqttSource over TLS against a real Mosquitto whose TLS listener requires a client certificate; the CA, broker
/// and client certificates are made with openssl when the fixture starts.
/// </summary>
public sealed class MqttSourceTlsSpec : Akka.TestKit.Xunit2.TestKit, IClassFixture<TlsMosquittoFixture>
{
    private readonly TlsMosquittoFixture _broker;
    private readonly IDisposable _log;

    public MqttSourceTlsSpec(TlsMosquittoFixture broker, ITestOutputHelper output)
        : base(output: output)
    {
        _broker = broker;
        _log = broker.Server.Log.CaptureTo(output, "mosquitto");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("localhost")]
    public async Task Source_should_receive_qos1_messages_over_tls_with_a_client_certificate_and_the_hostname_checked(string? targetHost)
    {
        var topic = TestSettings.NewTopic();
        var settings = TlsSettings(topic, new MqttTlsSettings
        {
            CaFile = _broker.Certificates.CaFile,
            ClientCertificateFile = _broker.Certificates.ClientCertificateFile,
            ClientKeyFile = _broker.Certificates.ClientKeyFile,
            CheckHostname = true,
            TargetHost = targetHost,
        });
        var received = new ConcurrentDictionary<int, bool>();
        var control = MqttSource.Create(settings)
            .Select(e =>
            {
                received.TryAdd(TestPublisher.SeqOf(e.Payload.Payload), true);
                e.Ack.Release();
                return e;
            })
            .To(Sink.Ignore<Envelope<RawMessage>>())
            .Run(Sys.Materializer());
        await control.Subscribed.WaitAsync(TimeSpan.FromSeconds(60));
        using var publisher = new TestPublisher(_broker.Server);

        await publisher.PublishAsync(topic, 0, 50);

        await Eventually.TrueAsync(() => control.Statistics.Acknowledged == 50, "50 acknowledgements over TLS");
        Assert.Equal(Enumerable.Range(0, 50), received.Keys.Order());
        await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Source_should_refuse_a_broker_whose_certificate_does_not_name_the_host_and_say_so()
    {
        var settings = TlsSettings(TestSettings.NewTopic(), new MqttTlsSettings
        {
            CaFile = _broker.Certificates.CaFile,
            ClientCertificateFile = _broker.Certificates.ClientCertificateFile,
            ClientKeyFile = _broker.Certificates.ClientKeyFile,
            TargetHost = "broker.example.org",
        });

        var warning = await RunUntilConnectWarningAsync(settings);

        Assert.Contains("do not match the host 'broker.example.org'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_should_refuse_a_broker_certificate_from_an_untrusted_ca_and_say_so()
    {
        var settings = TlsSettings(TestSettings.NewTopic(), new MqttTlsSettings
        {
            CaFile = _broker.Certificates.OtherCaFile,
            ClientCertificateFile = _broker.Certificates.ClientCertificateFile,
            ClientKeyFile = _broker.Certificates.ClientKeyFile,
        });

        var warning = await RunUntilConnectWarningAsync(settings);

        Assert.Contains("not signed by a CA in Tls.CaFile", warning, StringComparison.Ordinal);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _log.Dispose();
        }

        base.Dispose(disposing);
    }

    private MqttSourceSettings TlsSettings(string topic, MqttTlsSettings tls) =>
        TestSettings.For(_broker.Server, topic).WithBroker(_broker.Server.Host, _broker.TlsPort).WithTls(tls).Build();

    /// <summary>Runs a source that cannot connect and returns its first connect-failure warning.</summary>
    private async Task<string> RunUntilConnectWarningAsync(MqttSourceSettings settings)
    {
        Sys.EventStream.Subscribe(TestActor, typeof(Warning));
        var control = MqttSource.Create(settings).To(Sink.Ignore<Envelope<RawMessage>>()).Run(Sys.Materializer());
        try
        {
            var warning = await FishForMessageAsync<Warning>(w => w.Message.ToString()!.Contains("connect failed", StringComparison.Ordinal), TimeSpan.FromSeconds(60));
            Assert.False(control.Subscribed.IsCompleted, "the source must not subscribe through a rejected TLS connection");
            return warning.Message.ToString()!;
        }
        finally
        {
            Sys.EventStream.Unsubscribe(TestActor, typeof(Warning));
            await control.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }
}
