namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>One field of a point: a key (plain, unescaped text) and a typed value.</summary>
public readonly record struct Field(string Key, FieldValue Value);
