using System.Buffers;
using System.Threading.Channels;
using Akka.Event;
using MQTTnet;
using MQTTnet.Protocol;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Mqtt.Metrics;
using ReactiveIngest.Mqtt.Settings;
using ReactiveIngest.Streams.Delivery;

namespace ReactiveIngest.Mqtt.Connection;

/// <summary>
/// One client connection of a source: connects with a persistent session, subscribes, turns received
/// messages into envelopes written to the source's buffer, and reconnects with backoff on its own task.
/// </summary>
/// <remarks>
/// Every connection attempt uses a fresh MQTTnet client and a fresh <see cref="AckSession"/>, so an
/// acknowledgement held from an earlier connection can never go out on a later one (its packet identifier
/// would name a different message there). The disconnect callback only signals; the loop reconnects.
/// </remarks>
internal sealed class MqttSourceConnection
{
    private readonly MqttSourceSettings _settings;
    private readonly string _clientId;
    private readonly ChannelWriter<Envelope<RawMessage>> _output;
    private readonly ILoggingAdapter _log;
    private readonly ReconnectBackoff _backoff;
    private readonly TaskCompletionSource _subscribed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile AckSession? _session;
    private volatile bool _draining;

    public MqttSourceConnection(MqttSourceSettings settings, int index, ChannelWriter<Envelope<RawMessage>> output, ILoggingAdapter log)
    {
        _settings = settings;
        Index = index;
        _clientId = settings.ClientIdFor(index);
        _output = output;
        _log = log;
        _backoff = new ReconnectBackoff(settings.Connection);
        Counters = new ConnectionCounters(index);
    }

    public int Index { get; }

    public ConnectionCounters Counters { get; }

    /// <summary>Completes the first time the subscriptions are in place.</summary>
    public Task Subscribed => _subscribed.Task;

    /// <summary>Stops taking new messages (they stay unacknowledged at the broker) while the in-flight ones finish.</summary>
    public void StartDraining() => _draining = true;

    /// <summary>Completes when no message of the current connection is unacknowledged.</summary>
    public Task WhenIdleAsync() => _session?.WhenIdleAsync() ?? Task.CompletedTask;

    /// <summary>
    /// The connect–consume–reconnect loop. Ends when <paramref name="stop"/> is cancelled: with a DISCONNECT
    /// when <paramref name="graceful"/> says so at that time, else by dropping the socket (as a crash would).
    /// Either way the broker keeps the session and everything not acknowledged.
    /// </summary>
    public async Task RunAsync(Func<bool> graceful, CancellationToken stop)
    {
        var attempt = 0;
        var everConnected = false;
        while (!stop.IsCancellationRequested)
        {
            var lost = await ConnectAndConsumeAsync(graceful, everConnected, stop).ConfigureAwait(false);
            if (stop.IsCancellationRequested)
            {
                break;
            }

            if (lost)
            {
                everConnected = true;
                attempt = 0;
                Counters.OnReconnect();
            }

            var delay = _backoff.Delay(attempt++);
            _log.Info("MQTT {0} connection {1}: reconnecting in {2:F0} ms (attempt {3})", _settings.Name, Index, delay.TotalMilliseconds, attempt);
            try
            {
                await Task.Delay(delay, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        _subscribed.TrySetCanceled(CancellationToken.None);
    }

    /// <summary>One connection's life. True when it was connected and then lost; false when connecting failed.</summary>
    private async Task<bool> ConnectAndConsumeAsync(Func<bool> graceful, bool everConnected, CancellationToken stop)
    {
        // Debug, not warning: an acknowledgement fails only when the connection is going away (a stop with
        // acknowledgements pending, or a lost connection, which is logged as a warning on its own); the broker redelivers.
        var session = new AckSession(_settings.MaxInFlight, Counters, e => _log.Debug("MQTT {0} connection {1}: acknowledgement not sent ({2}); the broker will redeliver", _settings.Name, Index, e.Message));
        var lost = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var client = new MqttClientFactory().CreateMqttClient();
        client.DisconnectedAsync += e =>
        {
            lost.TrySetResult(e);
            return Task.CompletedTask;
        };
        client.ApplicationMessageReceivedAsync += e => OnMessageAsync(session, e);
        var connected = false;
        try
        {
            var options = MqttClientOptionsFactory.Create(_settings.Connection, _clientId, cleanStart: false, _settings.SessionExpiry, _settings.EffectiveReceiveMaximum);
            var result = await client.ConnectAsync(options, stop).ConfigureAwait(false);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                _log.Error("MQTT {0} connection {1}: broker refused the connection: {2} {3}", _settings.Name, Index, result.ResultCode, result.ReasonString);
                return false;
            }

            connected = true;
            _session = session;
            LogSession(result, everConnected);
            await SubscribeAsync(client, stop).ConfigureAwait(false);
            _subscribed.TrySetResult();
            var reason = await WaitUntilLostAsync(client, session, lost.Task, stop).ConfigureAwait(false);
            _log.Warning("MQTT {0} connection {1}: connection lost ({2}{3})", _settings.Name, Index, reason.Reason, reason.Exception is null ? string.Empty : ": " + reason.Exception.Message);
            return true;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            if (connected && client.IsConnected && graceful())
            {
                await DisconnectGracefullyAsync(client).ConfigureAwait(false);
            }

            return connected;
        }
#pragma warning disable CA1031 // Any failure of one connection attempt leads to a reconnect, never to a failed stream.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Warning("MQTT {0} connection {1}: {2}: {3}", _settings.Name, Index, connected ? "subscription failed" : "connect failed", Describe(e));
            return connected;
        }
        finally
        {
            await session.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the disconnect signal. MQTTnet finishes a disconnect only after the message handler returns,
    /// and our handler may be waiting for an in-flight slot or buffer room; so once the client reports it is no
    /// longer connected, the session is closed, which releases the handler and lets the disconnect complete.
    /// </summary>
    private static async Task<MqttClientDisconnectedEventArgs> WaitUntilLostAsync(IMqttClient client, AckSession session, Task<MqttClientDisconnectedEventArgs> lost, CancellationToken stop)
    {
        while (true)
        {
            var finished = await Task.WhenAny(lost, Task.Delay(TimeSpan.FromMilliseconds(250), stop)).ConfigureAwait(false);
            if (finished == lost)
            {
                return await lost.ConfigureAwait(false);
            }

            stop.ThrowIfCancellationRequested();
            if (!client.IsConnected)
            {
                session.Close();
            }
        }
    }

    private async Task SubscribeAsync(IMqttClient client, CancellationToken stop)
    {
        var builder = new MqttClientSubscribeOptionsBuilder();
        foreach (var subscription in _settings.Subscriptions)
        {
            var filter = _settings.EffectiveFilter(subscription);
            builder.WithTopicFilter(f =>
            {
                f.WithTopic(filter).WithQualityOfServiceLevel(subscription.Qos);
                if (_settings.Connection.Protocol == MqttProtocol.V500)
                {
                    f.WithRetainHandling(MqttRetainHandling.SendAtSubscribeIfNewSubscriptionOnly);
                }
            });
        }

        var result = await client.SubscribeAsync(builder.Build(), stop).ConfigureAwait(false);
        foreach (var item in result.Items)
        {
            if ((int)item.ResultCode >= 0x80)
            {
                throw new InvalidOperationException($"the broker refused the subscription to '{item.TopicFilter.Topic}': {item.ResultCode}");
            }

            if ((int)item.ResultCode < (int)item.TopicFilter.QualityOfServiceLevel)
            {
                _log.Warning("MQTT {0} connection {1}: '{2}' granted with {3}, lower than requested QoS {4}", _settings.Name, Index, item.TopicFilter.Topic, item.ResultCode, (int)item.TopicFilter.QualityOfServiceLevel);
            }
        }
    }

    private void LogSession(MqttClientConnectResult result, bool everConnected)
    {
        if (result.IsSessionPresent)
        {
            _log.Info("MQTT {0} connection {1} ({2}): session resumed; the broker kept the subscriptions and queued messages and redelivers what was not acknowledged", _settings.Name, Index, _clientId);
        }
        else if (!everConnected)
        {
            _log.Info("MQTT {0} connection {1} ({2}): new session; the broker had no state for this client id (first start, or the session expired), so nothing published before now is queued for us", _settings.Name, Index, _clientId);
        }
        else
        {
            Counters.OnSessionLost();
            _log.Warning("MQTT {0} connection {1} ({2}): session lost on reconnect; messages published while disconnected were not kept (broker restarted without persistence, or session expiry too short)", _settings.Name, Index, _clientId);
        }
    }

    private async Task OnMessageAsync(AckSession session, MqttApplicationMessageReceivedEventArgs e)
    {
        // Never let MQTTnet acknowledge: the acknowledgement goes out when the envelope is released.
        e.AutoAcknowledge = false;
        if (_draining || session.Closed.IsCancellationRequested)
        {
            return;
        }

        var message = e.ApplicationMessage;
        Counters.OnReceived();
        var raw = new RawMessage(
            message.Payload.ToArray(),
            new MessageContext(message.Topic, UnixTime.Now()),
            _settings.Name,
            Index);
        if (message.QualityOfServiceLevel == MqttQualityOfServiceLevel.AtMostOnce)
        {
            if (!_output.TryWrite(new Envelope<RawMessage>(raw, AckHandle.None)))
            {
                Counters.OnQos0Dropped();
            }

            return;
        }

        PendingAck? handle;
        try
        {
            handle = await session.AdmitAsync(e).ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        if (handle is null)
        {
            return;
        }

        var envelope = new Envelope<RawMessage>(raw, handle);
        if (!_output.TryWrite(envelope))
        {
            try
            {
                await _output.WriteAsync(envelope, session.Closed).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
            {
                // The connection or the source ended; the broker redelivers the message.
            }
        }
    }

    private async Task DisconnectGracefullyAsync(IMqttClient client)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_settings.Connection.ConnectTimeout);
            var options = new MqttClientDisconnectOptionsBuilder().WithReason(MqttClientDisconnectOptionsReason.NormalDisconnection).Build();
            await client.DisconnectAsync(options, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the socket closes anyway and the broker keeps the session.
        catch (Exception e)
#pragma warning restore CA1031
        {
            _log.Debug("MQTT {0} connection {1}: DISCONNECT not sent: {2}", _settings.Name, Index, e.Message);
        }
    }

    /// <summary>The messages of an exception and its inner ones (MQTTnet wraps TLS and socket errors), without repeats.</summary>
    private static string Describe(Exception exception)
    {
        var messages = new List<string>();
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (!messages.Exists(m => m.Contains(e.Message, StringComparison.Ordinal)))
            {
                messages.Add(e.Message);
            }
        }

        return string.Join(" ← ", messages);
    }
}
