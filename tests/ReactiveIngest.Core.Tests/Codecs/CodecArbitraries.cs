using FsCheck;
using FsCheck.Fluent;

namespace ReactiveIngest.Core.Tests.Codecs;

/// <summary>Generators for the codec round-trip properties.</summary>
public static class CodecArbitraries
{
    // Pieces that stress escaping: line-protocol specials, JSON specials, multi-byte UTF-8, surrogate pairs.
    private static readonly string[] HostilePieces =
    [
        "a", "b", "Z", "0", "7", "_", "-", ".", "/", "#", "{", "}",
        " ", ",", "=", "\"", "\\", "'", "é", "漢", "😀", "\u00a0", "i", "u", "t",
    ];

    private static readonly string[] PlainPieces = ["a", "b", "c", "x", "y", "z", "0", "1", "_", "é", "漢"];

    public static Gen<string> Identifier(string[] pieces, int maxPieces) =>
        Gen.Choose(1, maxPieces).SelectMany(n => Gen.Elements(pieces).ArrayOf(n)).Select(string.Concat);

    public static Gen<string> Hostile => Identifier(HostilePieces, 12);

    public static Gen<double> FiniteDouble =>
        Gen.Frequency(
            (6, from high in Gen.Choose(int.MinValue, int.MaxValue)
                from low in Gen.Choose(int.MinValue, int.MaxValue)
                let bits = ((long)high << 32) | (uint)low
                let value = BitConverter.Int64BitsToDouble(bits)
                where double.IsFinite(value)
                select value),
            (3, Gen.Choose(-100_000, 100_000).Select(i => i / 100d)),
            (1, Gen.Elements(0d, -0d, double.MaxValue, double.MinValue, double.Epsilon, 1e-300, 123456789012345678d)));

    public static Gen<long> AnyLong =>
        from high in Gen.Choose(int.MinValue, int.MaxValue)
        from low in Gen.Choose(int.MinValue, int.MaxValue)
        select ((long)high << 32) | (uint)low;

    public static Gen<TestFieldValue> NumericField =>
        Gen.Frequency(
            (5, FiniteDouble.Select(TestFieldValue.Of)),
            (2, AnyLong.Select(TestFieldValue.OfInteger)),
            (1, Gen.Elements(true, false).Select(TestFieldValue.OfBoolean)));

    public static Arbitrary<LineProtocolCase> LineProtocolCase()
    {
        var tag = from key in Hostile.Where(k => k != "deviceId")
                  from value in Hostile
                  select new TestTag(key, value);
        var field = from key in Hostile
                    from value in Gen.Frequency((6, NumericField), (1, Hostile.Select(TestFieldValue.OfString)))
                    select new TestField(key, value);
        var line = from measurement in Hostile.Where(m => m[0] != '#')
                   from deviceId in Hostile
                   from tags in Gen.Choose(0, 3).SelectMany(n => tag.ArrayOf(n))
                   from numeric in Gen.Choose(1, 3).SelectMany(n => (from key in Hostile from value in NumericField select new TestField(key, value)).ArrayOf(n))
                   from extra in Gen.Choose(0, 2).SelectMany(n => field.ArrayOf(n))
                   from fields in Gen.Shuffle(numeric.Concat(extra))
                   from timestamp in AnyLong
                   select new TestLine(measurement, deviceId, tags, fields, timestamp);
        var batch = from naming in Gen.Elements(false, true)
                    from lines in Gen.Choose(1, 4).SelectMany(n => line.ArrayOf(n))
                    select new LineProtocolCase(lines, naming);
        return batch.ToArbitrary();
    }

    public static Arbitrary<JsonCase> JsonCase()
    {
        var metric = from name in Hostile
                     from value in FiniteDouble
                     select new TestMetric(name, value);
        var json = from deviceId in Hostile
                   from timestamp in AnyLong
                   from generated in Gen.Choose(1, 5).SelectMany(n => metric.ArrayOf(n))
                   let metrics = generated.DistinctBy(m => m.Name, StringComparer.Ordinal).ToArray() // a key twice is rejected
                   from site in Hostile
                   from withRoom in Gen.Elements(false, true)
                   from room in Hostile
                   select new JsonCase(deviceId, timestamp, metrics, site, withRoom ? room : null);
        return json.ToArbitrary();
    }

    public static Arbitrary<FlatJsonCase> FlatJsonCase()
    {
        // Names are plain and distinct from the mapped fields, as the implicit-metric mode requires.
        var name = Identifier(PlainPieces, 6).Where(n => n is not "deviceId" and not "ts");
        var metric = from n in name
                     from value in FiniteDouble
                     select new TestMetric(n, value);
        var element = from deviceId in Hostile
                      from timestamp in Gen.Choose(0, int.MaxValue).Select(s => (long)s * 1_000_000_000L + 1)
                      from generated in Gen.Choose(1, 4).SelectMany(n => metric.ArrayOf(n))
                      let metrics = generated.DistinctBy(m => m.Name, StringComparer.Ordinal).ToArray() // a key twice is rejected
                      select new FlatJsonObject(deviceId, timestamp, metrics);
        return Gen.Choose(1, 4).SelectMany(n => element.ArrayOf(n)).Select(objects => new FlatJsonCase(objects)).ToArbitrary();
    }
}
