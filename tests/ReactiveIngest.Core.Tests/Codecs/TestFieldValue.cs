namespace ReactiveIngest.Core.Tests.Codecs;

/// <summary>A line-protocol field value for the test encoder.</summary>
public readonly record struct TestFieldValue
{
    internal TestFieldKind Kind { get; init; }

    internal double Float { get; init; }

    internal long Integer { get; init; }

    internal bool Boolean { get; init; }

    internal string? Text { get; init; }

    /// <summary>The number a decoder should produce (strings: none).</summary>
    internal double Expected => Kind switch
    {
        TestFieldKind.Float => Float,
        TestFieldKind.Integer => Integer,
        TestFieldKind.Boolean => Boolean ? 1 : 0,
        _ => double.NaN,
    };

    public static TestFieldValue Of(double value) => new() { Kind = TestFieldKind.Float, Float = value };

    public static TestFieldValue OfInteger(long value) => new() { Kind = TestFieldKind.Integer, Integer = value };

    public static TestFieldValue OfBoolean(bool value) => new() { Kind = TestFieldKind.Boolean, Boolean = value };

    public static TestFieldValue OfString(string value) => new() { Kind = TestFieldKind.String, Text = value };

    public override string ToString() => Kind switch
    {
        TestFieldKind.Float => Float.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        TestFieldKind.Integer => $"{Integer}i",
        TestFieldKind.Boolean => Boolean.ToString(),
        _ => $"\"{Text}\"",
    };
}
