namespace ReactiveIngest.Core.Model;

/// <summary>One tag of a reading: a key and a value, both plain (unescaped) text.</summary>
public readonly record struct Tag(string Key, string Value);
