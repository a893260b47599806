namespace ReactiveIngest.Influx.Writing;

/// <summary>Which InfluxDB HTTP API to talk to.</summary>
public enum InfluxApiVersion
{
    /// <summary>InfluxDB 1.x: <c>/write?db=&amp;rp=</c>, username/password, InfluxQL on <c>/query</c>.</summary>
    V1 = 1,

    /// <summary>InfluxDB 2.x, 3.x and Cloud: <c>/api/v2/write?org=&amp;bucket=</c> with <c>Authorization: Token …</c>.</summary>
    V2 = 2,
}
