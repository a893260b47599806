namespace ReactiveIngest.Core.Codecs;

/// <summary>What <see cref="LineProtocolValueParser"/> found in a field value.</summary>
internal enum LineProtocolValueKind
{
    Invalid,
    Number,
    Boolean,
    NotFinite,
}
