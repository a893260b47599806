using System.Text;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Tests.Support;
using Xunit;

namespace ReactiveIngest.Influx.Tests.LineProtocol;

public sealed class LineProtocolPropertySpec
{
    private static readonly string[] Atoms =
    [
        "a", "b", "Z", "0", "_", " ", ",", "=", "\"", "\\", "\t", "é", "中", "😀", "#", "'",
    ];

    [Property(MaxTest = 500)]
    public Property Any_valid_point_should_parse_back_to_itself() =>
        Prop.ForAll(Points().ToArbitrary(), point =>
        {
            Assert.Null(LineProtocolEncoder.Validate(point));
            var line = LineProtocolEncoder.ToLine(point);
            var parsed = LineProtocolParser.Parse(line);
            Assert.True(Same(point, parsed), $"line: {line}; parsed back: {parsed}");
            return true;
        });

    private static bool Same(LinePoint expected, LinePoint actual) =>
        expected.Measurement == actual.Measurement
        && expected.Tags == actual.Tags
        && expected.TimestampNs == actual.TimestampNs
        && expected.Fields.SequenceEqual(actual.Fields);

    private static Gen<string> Text(int maxAtoms) =>
        Gen.Choose(1, maxAtoms).SelectMany(n => Gen.ArrayOf(Gen.Elements(Atoms), n)).Select(parts => string.Concat(parts));

    private static Gen<string> Measurement() =>
        Text(8).Where(s => !s.Contains('\\', StringComparison.Ordinal) && !s.StartsWith('#'));

    private static Gen<string> TagText() => Text(8).Where(s => !s.EndsWith('\\'));

    private static Gen<string> FieldKey() => Text(6).Where(s => !s.Contains('\\', StringComparison.Ordinal));

    private static Gen<long> Int64() =>
        Gen.Zip(Gen.Choose(int.MinValue, int.MaxValue), Gen.Choose(int.MinValue, int.MaxValue))
            .Select(t => ((long)t.Item1 << 32) | (uint)t.Item2);

    private static Gen<FieldValue> Value() => Gen.OneOf(
        Int64().Select(bits => BitConverter.Int64BitsToDouble(bits)).Where(double.IsFinite).Select(FieldValue.Float),
        Gen.Choose(-1000, 1000).Select(i => FieldValue.Float(i / 8.0)),
        Int64().Select(FieldValue.Integer),
        Int64().Select(l => FieldValue.UInteger(unchecked((ulong)l))),
        Gen.Elements(true, false).Select(FieldValue.Boolean),
        Gen.Choose(0, 10).SelectMany(n => Gen.ArrayOf(Gen.Elements([.. Atoms, "\n", "\r"]), n)).Select(p => FieldValue.String(string.Concat(p))));

    internal static Gen<LinePoint> Points() =>
        from measurement in Measurement()
        from tagCount in Gen.Choose(0, 4)
        from tags in Gen.ArrayOf(Gen.Zip(TagText(), TagText()), tagCount)
        from fieldCount in Gen.Choose(1, 4)
        from keys in Gen.ArrayOf(FieldKey(), fieldCount)
        from values in Gen.ArrayOf(Value(), fieldCount)
        from hasTime in Gen.Elements(true, false)
        from time in Int64()
        select new LinePoint(
            measurement,
            TagSet.Create(tags.Select(t => new Tag(t.Item1, t.Item2))),
            keys.Distinct(StringComparer.Ordinal).Select((k, i) => new Field(k, values[i])),
            hasTime ? time : null);

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Encoding_into_a_pooled_buffer_should_equal_encoding_alone() =>
        Prop.ForAll(Gen.ArrayOf(Points(), 5).ToArbitrary(), points =>
        {
            using var batch = new ReactiveIngest.Influx.Writing.EncodedBatch();
            var expected = new StringBuilder();
            foreach (var point in points)
            {
                Assert.Null(batch.TryAdd(point));
                expected.Append(LineProtocolEncoder.ToLine(point)).Append('\n');
            }

            var ok = Encoding.UTF8.GetString(batch.Slice(0, batch.Count).Span) == expected.ToString();
            for (var i = 0; i < points.Length; i++)
            {
                ok &= Encoding.UTF8.GetString(batch.Line(i).Span) == LineProtocolEncoder.ToLine(points[i]) + "\n";
            }

            return ok;
        });
}
