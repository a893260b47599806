using System.Globalization;

namespace ReactiveIngest.Influx.LineProtocol;

/// <summary>A typed line-protocol field value. Equality compares kind and value (floats bit for bit).</summary>
public readonly struct FieldValue : IEquatable<FieldValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private FieldValue(FieldKind kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>The field type.</summary>
    public FieldKind Kind { get; }

    /// <summary>A float field.</summary>
    public static FieldValue Float(double value) => new(FieldKind.Float, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A signed integer field (<c>i</c>).</summary>
    public static FieldValue Integer(long value) => new(FieldKind.Integer, value, null);

    /// <summary>An unsigned integer field (<c>u</c>).</summary>
    public static FieldValue UInteger(ulong value) => new(FieldKind.UInteger, unchecked((long)value), null);

    /// <summary>A boolean field.</summary>
    public static FieldValue Boolean(bool value) => new(FieldKind.Boolean, value ? 1 : 0, null);

    /// <summary>A string field.</summary>
    public static FieldValue String(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(FieldKind.String, 0, value);
    }

    /// <summary>The value of a <see cref="FieldKind.Float"/> field.</summary>
    public double AsFloat() => Kind == FieldKind.Float ? BitConverter.Int64BitsToDouble(_bits) : throw WrongKind(FieldKind.Float);

    /// <summary>The value of an <see cref="FieldKind.Integer"/> field.</summary>
    public long AsInteger() => Kind == FieldKind.Integer ? _bits : throw WrongKind(FieldKind.Integer);

    /// <summary>The value of a <see cref="FieldKind.UInteger"/> field.</summary>
    public ulong AsUInteger() => Kind == FieldKind.UInteger ? unchecked((ulong)_bits) : throw WrongKind(FieldKind.UInteger);

    /// <summary>The value of a <see cref="FieldKind.Boolean"/> field.</summary>
    public bool AsBoolean() => Kind == FieldKind.Boolean ? _bits != 0 : throw WrongKind(FieldKind.Boolean);

    /// <summary>The value of a <see cref="FieldKind.String"/> field.</summary>
    public string AsString() => Kind == FieldKind.String ? _text! : throw WrongKind(FieldKind.String);

    /// <inheritdoc />
    public bool Equals(FieldValue other) =>
        Kind == other.Kind && _bits == other._bits && string.Equals(_text, other._text, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is FieldValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text is null ? 0 : StringComparer.Ordinal.GetHashCode(_text));

    /// <summary>Value equality.</summary>
    public static bool operator ==(FieldValue left, FieldValue right) => left.Equals(right);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(FieldValue left, FieldValue right) => !left.Equals(right);

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FieldKind.Float => AsFloat().ToString("R", CultureInfo.InvariantCulture),
        FieldKind.Integer => AsInteger().ToString(CultureInfo.InvariantCulture) + "i",
        FieldKind.UInteger => AsUInteger().ToString(CultureInfo.InvariantCulture) + "u",
        FieldKind.Boolean => AsBoolean() ? "true" : "false",
        _ => "\"" + _text + "\"",
    };

    private InvalidOperationException WrongKind(FieldKind wanted) => new($"The field is {Kind}, not {wanted}.");
}
