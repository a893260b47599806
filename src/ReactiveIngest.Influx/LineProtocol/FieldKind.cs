namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>The line-protocol field types.</summary>
public enum FieldKind
{
    /// <summary>64-bit IEEE float, written in shortest round-trip form (<c>1.5</c>).</summary>
    Float = 0,

    /// <summary>Signed 64-bit integer, written with an <c>i</c> suffix (<c>42i</c>).</summary>
    Integer = 1,

    /// <summary>Unsigned 64-bit integer, written with a <c>u</c> suffix (<c>42u</c>). InfluxDB 1.x rejects it.</summary>
    UInteger = 2,

    /// <summary>Boolean, written as <c>true</c>/<c>false</c>.</summary>
    Boolean = 3,

    /// <summary>UTF-8 string, written in double quotes with <c>"</c> and <c>\</c> escaped.</summary>
    String = 4,
}
