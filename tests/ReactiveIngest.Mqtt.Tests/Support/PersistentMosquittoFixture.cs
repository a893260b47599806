using ReactiveIngest.Simulator.Servers;
using ReactiveIngest.TestSupport.Servers;

namespace ReactiveIngest.Mqtt.Tests.Support;

/// <summary>
/// A Mosquitto with a deep per-session queue so outage tests can park thousands of QoS 1 messages
/// (the default keeps 1,000 per persistent session). Persistence itself is set up by <see cref="MosquittoServer"/>.
/// </summary>
public sealed class PersistentMosquittoFixture() : MosquittoFixture(Configuration)
{
    public static IReadOnlyList<string> Configuration { get; } = ["max_queued_messages 100000"];
}
