namespace ReactiveIngest.Service.Inputs.Http;

/// <summary>Which InfluxDB write API a request used; decides the parameter names and the error body's shape.</summary>
public enum InfluxApiVersion
{
    /// <summary><c>POST /write?db=…&amp;precision=…</c>; errors are <c>{"error":"…"}</c>.</summary>
    V1,

    /// <summary><c>POST /api/v2/write?org=…&amp;bucket=…&amp;precision=…</c>; errors are <c>{"code":"…","message":"…"}</c>.</summary>
    V2,
}
