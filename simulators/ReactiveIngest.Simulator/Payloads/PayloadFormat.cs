namespace ReactiveIngest.Simulator.Payloads;

/// <summary>The payload encodings the simulator can send.</summary>
public enum PayloadFormat
{
    /// <summary><c>{"deviceId":"d1","ts":&lt;epoch ms&gt;,"temperature":21.5,"humidity":40}</c>.</summary>
    Json = 0,

    /// <summary>InfluxDB line protocol, nanosecond precision: <c>environmental,deviceId=d1,site=s1 temperature=21.5 &lt;ns&gt;</c>.</summary>
    LineProtocol = 1,
}
