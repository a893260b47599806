using ReactiveIngest.Core.Model;
using ReactiveIngest.Core.Validation;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Query;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.TestSupport.Servers;
using Xunit;
using Xunit.Abstractions;

namespace ReactiveIngest.Influx.Tests.Writing;

/// <summary>Writes through <see cref="InfluxWriter"/> to the real influxd 1.6 and reads back with <see cref="InfluxQueryClient"/>.</summary>
public sealed class InfluxdRoundTripSpec(InfluxFixture influx, ITestOutputHelper output) : IClassFixture<InfluxFixture>
{
    private const long T0 = 1_700_000_000_000_000_000L;

    private static readonly string[] HostileTexts =
    [
        "plain",
        "with space",
        "comma,inside",
        "equals=inside",
        "quote\"inside\"",
        "back\\slash",
        "back\\ slash before space",
        "back\\,slash before comma",
        "back\\=slash before equals",
        "tab\there",
        "ünïcödé 😀 中文",
        ",leading comma",
        " leading space",
        "=leading equals",
        "x,injected=1",
        "x injected=1i",
        "x\" injected=1",
        "'single' quotes",
    ];

    private InfluxWriterOptions Options(string db) => new()
    {
        Url = influx.Server.BaseAddress,
        Database = db,
        InitialRetryDelay = TimeSpan.FromMilliseconds(50),
        MaxRetryDelay = TimeSpan.FromSeconds(1),
    };

    [Fact]
    public async Task Hostile_identifiers_and_values_should_round_trip_exactly_and_never_add_a_tag_or_field()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("hostile");
        const string measurement = "we ird,meas=ure \"q\" 'é😀";
        var points = new List<LinePoint>();
        for (var i = 0; i < HostileTexts.Length; i++)
        {
            var text = HostileTexts[i];
            points.Add(PointBuilder.Measurement(measurement)
                .Tag("id", i.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Tag("tag key, =\"x\"", text)
                .Tag(text, "k")
                .Field("float", (i * 1.1) - 7.25)
                .Field("int", long.MinValue + i)
                .Field("bool", i % 2 == 0)
                .Field("string", text + "\nsecond line \\ \" end\\")
                .Field("field key, =\"x\"", i == 0 ? 1.0 / 3.0 : double.MaxValue / i)
                .Timestamp(T0 + i)
                .Build());
        }

        using var writer = new InfluxWriter(Options(db));
        using var batch = Encode(points);
        var result = await writer.WriteAsync(batch);
        Assert.Equal(points.Count, result.Written);
        Assert.Empty(result.Rejected);

        using var query = new InfluxQueryClient(Options(db));
        var m = InfluxQl.QuoteIdentifier(measurement);

        var tagKeys = (await query.QueryAsync($"SHOW TAG KEYS FROM {m}")).Single().Rows.Select(r => r.GetString("tagKey")).ToHashSet();
        var expectedTagKeys = HostileTexts.Append("id").Append("tag key, =\"x\"").ToHashSet();
        Assert.Equal(expectedTagKeys.Order(StringComparer.Ordinal), tagKeys.Order(StringComparer.Ordinal));

        var fieldKeys = (await query.QueryAsync($"SHOW FIELD KEYS FROM {m}")).Single().Rows
            .ToDictionary(r => r.GetString("fieldKey"), r => r.GetString("fieldType"));
        Assert.Equal(
            new Dictionary<string, string> { ["float"] = "float", ["int"] = "integer", ["bool"] = "boolean", ["string"] = "string", ["field key, =\"x\""] = "float" }.OrderBy(p => p.Key, StringComparer.Ordinal),
            fieldKeys.OrderBy(p => p.Key, StringComparer.Ordinal));

        var measurements = (await query.QueryAsync("SHOW MEASUREMENTS")).Single().Rows.Select(r => r.GetString("name")).ToList();
        Assert.Equal([measurement], measurements);

        var rows = (await query.QueryAsync($"SELECT * FROM {m}")).Single().Rows;
        Assert.Equal(points.Count, rows.Count);
        foreach (var row in rows)
        {
            var i = int.Parse(row.GetString("id"), System.Globalization.CultureInfo.InvariantCulture);
            var point = points[i];
            Assert.Equal(point.TimestampNs, row.TimeNs);
            Assert.Equal(HostileTexts[i], row.GetString("tag key, =\"x\""));
            Assert.Equal("k", row.GetString(HostileTexts[i]));
            foreach (var field in point.Fields)
            {
                var value = field.Value.Kind switch
                {
                    FieldKind.Float => FieldValue.Float(row.GetDouble(field.Key)),
                    FieldKind.Integer => FieldValue.Integer(row.GetInt64(field.Key)),
                    FieldKind.Boolean => FieldValue.Boolean(row.GetBoolean(field.Key)),
                    _ => FieldValue.String(row.GetString(field.Key)),
                };
                Assert.Equal(field.Value, value);
            }

            foreach (var other in HostileTexts.Where((_, j) => j != i))
            {
                Assert.True(row.IsNull(other), $"row {i} has a value for tag '{other}'");
            }
        }
    }

    [Fact]
    public async Task Bound_parameters_should_match_hostile_values_exactly_and_never_run_them_as_InfluxQL()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("params");
        var points = HostileTexts.Select((t, i) => PointBuilder.Measurement("m").Tag("deviceId", t).Field("value", (double)i).Timestamp(T0 + i).Build()).ToList();
        using var writer = new InfluxWriter(Options(db));
        using var batch = Encode(points);
        Assert.Equal(points.Count, (await writer.WriteAsync(batch)).Written);
        using var query = new InfluxQueryClient(Options(db));

        for (var i = 0; i < HostileTexts.Length; i++)
        {
            var rows = await query.QueryRowsAsync(
                "SELECT value FROM m WHERE deviceId = $device AND time >= $from",
                new Dictionary<string, object?> { ["device"] = HostileTexts[i], ["from"] = T0 },
                (_, r) => (r.TimeNs, Value: r.GetDouble("value")));
            Assert.Equal([(T0 + i, (double)i)], rows);
        }

        var injection = await query.QueryAsync(
            "SELECT value FROM m WHERE deviceId = $device",
            new Dictionary<string, object?> { ["device"] = "x' OR deviceId =~ /.*/ OR deviceId = 'y" });
        Assert.Empty(injection);
    }

    [Fact]
    public async Task A_field_type_conflict_should_dead_letter_exactly_the_conflicting_points_and_write_the_rest()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("conflict");
        using var writer = new InfluxWriter(Options(db));
        using (var first = Encode([PointBuilder.Measurement("m").Tag("deviceId", "seed").Field("value", 1.5).Field("label", "s").Timestamp(T0).Build()]))
        {
            Assert.Equal(1, (await writer.WriteAsync(first)).Written);
        }

        int[] integerConflicts = [3, 17, 18, 42];
        int[] booleanConflicts = [30];
        int[] labelConflicts = [0, 49];
        var points = Enumerable.Range(0, 50).Select(i =>
        {
            var builder = PointBuilder.Measurement("m").Tag("deviceId", $"d{i}").Timestamp(T0 + 1 + i);
            if (integerConflicts.Contains(i))
            {
                builder.Field("value", (long)i);
            }
            else if (booleanConflicts.Contains(i))
            {
                builder.Field("value", true);
            }
            else
            {
                builder.Field("value", i + 0.25);
            }

            builder.Field("label", labelConflicts.Contains(i) ? FieldValue.Float(i) : FieldValue.String($"ok {i}"));
            return builder.Build();
        }).ToList();
        using var batch = Encode(points);

        var result = await writer.WriteAsync(batch);

        var expected = integerConflicts.Concat(booleanConflicts).Concat(labelConflicts).Order().ToArray();
        Assert.Equal(expected, result.Rejected.Select(r => r.Index));
        Assert.Equal(50 - expected.Length, result.Written);
        Assert.All(result.Rejected, r => Assert.Equal(RejectReason.RejectedByStorage, r.Reason));
        Assert.All(result.Rejected, r => Assert.Contains("field type conflict", r.Message, StringComparison.Ordinal));
        Assert.Contains("is type integer, already exists as type float", result.Rejected.Single(r => r.Index == 3).Message, StringComparison.Ordinal);

        using var query = new InfluxQueryClient(Options(db));
        var stored = (await query.QueryAsync("SELECT value FROM m GROUP BY deviceId")).Select(s => s.Tags["deviceId"]).ToHashSet();
        var expectedStored = Enumerable.Range(0, 50).Where(i => !expected.Contains(i)).Select(i => $"d{i}").Append("seed").ToHashSet();
        Assert.Equal(expectedStored.Order(StringComparer.Ordinal), stored.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Versions_of_one_point_in_one_request_should_leave_the_last_one_stored()
    {
        // The write stage orders writes of one point across requests; inside a request it relies on influxd applying
        // the lines in order, which this checks (several versions, so a lucky order cannot pass it).
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("versions");
        var versions = Enumerable.Range(1, 50)
            .Select(v => PointBuilder.Measurement("agg").Tag("deviceId", "d").Field("count", (long)v).Field("sum", v * 1.5).Timestamp(T0).Build())
            .ToList();

        using var writer = new InfluxWriter(Options(db));
        using var batch = Encode(versions);
        Assert.Equal(versions.Count, (await writer.WriteAsync(batch)).Written);

        using var query = new InfluxQueryClient(Options(db));
        var row = Assert.Single(Assert.Single(await query.QueryAsync("SELECT \"count\", \"sum\" FROM agg")).Rows);
        Assert.Equal(50, row.GetInt64("count"));
        Assert.Equal(75.0, row.GetDouble("sum"));
    }

    [Fact]
    public async Task Unsigned_fields_are_dead_lettered_by_influxd_1_6_which_has_no_unsigned_type()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = await influx.Server.CreateDatabaseAsync("unsigned");
        using var writer = new InfluxWriter(Options(db));
        using var batch = Encode(Enumerable.Range(0, 9).Select(i => i == 4
            ? PointBuilder.Measurement("m").Field("u", 5UL).Timestamp(T0 + i).Build()
            : PointBuilder.Measurement("m").Field("f", (double)i).Timestamp(T0 + i).Build()));

        var result = await writer.WriteAsync(batch);

        var rejected = Assert.Single(result.Rejected);
        Assert.Equal(4, rejected.Index);
        Assert.Contains("invalid number", rejected.Message, StringComparison.Ordinal);
        Assert.Equal(8, result.Written);
    }

    [Fact]
    public async Task A_missing_database_should_make_the_writer_unready_until_it_is_created()
    {
        using var log = influx.Server.Log.CaptureTo(output, "influxd");
        var db = $"later_{Guid.NewGuid():N}";
        var options = Options(db);
        options.AuthRetryInterval = TimeSpan.FromMilliseconds(100);
        using var writer = new InfluxWriter(options);
        using var batch = Encode([PointBuilder.Measurement("m").Field("f", 1.0).Timestamp(T0).Build()]);

        var write = writer.WriteAsync(batch);
        await Support.Eventually.TrueAsync(() => !writer.IsReady, "the writer reports the missing database");
        Assert.Contains("create database", writer.NotReadyReason, StringComparison.Ordinal);
        await influx.Server.QueryAsync($"CREATE DATABASE \"{db}\"");

        Assert.Equal(1, (await write).Written);
        Assert.True(writer.IsReady);
    }

    private static EncodedBatch Encode(IEnumerable<LinePoint> points)
    {
        var batch = new EncodedBatch();
        foreach (var point in points)
        {
            Assert.Null(batch.TryAdd(point));
        }

        return batch;
    }
}
