namespace ReactiveIngest.Core.Tests.Codecs;

internal enum TestFieldKind
{
    Float,
    Integer,
    Boolean,
    String,
}
