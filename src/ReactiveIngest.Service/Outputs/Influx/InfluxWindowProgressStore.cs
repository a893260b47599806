using ReactiveIngest.Core.Model;
using ReactiveIngest.Influx.LineProtocol;
using ReactiveIngest.Influx.Query;
using ReactiveIngest.Influx.Writing;
using ReactiveIngest.Streams.Windows;

namespace ReactiveIngest.Service.Outputs.Influx;

/// <summary>
/// Window progress in InfluxDB, shared by every instance that writes to the same database (so the consumer that owns a
/// Kafka partition after a rebalance reads what the previous owner saved): measurement <see cref="Measurement"/>, tags
/// <c>window</c> and <c>partition</c>, integer field <c>final_watermark</c> (epoch ns), timestamp 0. The fixed timestamp
/// makes each save overwrite the previous point, so there is exactly one point per (window definition, partition); the
/// retention policy must keep points of 1970 (InfluxDB 1.x <c>autogen</c> and 2.x buckets with infinite retention do).
/// </summary>
/// <remarks>Saves go through the same writer (retries, backoff) as the data; a rejected point makes the save fail, which
/// the window stage retries while holding acknowledgements.</remarks>
public sealed class InfluxWindowProgressStore(InfluxWriter writer, InfluxQueryClient query, InfluxWriterOptions options) : IWindowProgressStore
{
    /// <summary>The measurement holding window progress.</summary>
    public const string Measurement = "window_progress";

    /// <inheritdoc />
    public async Task<long?> LoadAsync(string window, string partition, CancellationToken cancellationToken = default)
    {
        var parameters = new Dictionary<string, object?> { ["window"] = window, ["partition"] = partition };
        var rows = await query.QueryRowsAsync(
            $"SELECT \"final_watermark\" FROM {InfluxQl.QuoteIdentifier(Measurement)} WHERE \"window\" = $window AND \"partition\" = $partition",
            parameters,
            (_, row) => row.IsNull("final_watermark") ? (long?)null : row.GetInt64("final_watermark"),
            cancellationToken).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows.Max();
    }

    /// <inheritdoc />
    public async Task SaveAsync(string window, IReadOnlyCollection<KeyValuePair<string, long>> finalWatermarks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(finalWatermarks);
        if (finalWatermarks.Count == 0)
        {
            return;
        }

        using var batch = new EncodedBatch(options.Precision, finalWatermarks.Count);
        foreach (var (partition, watermark) in finalWatermarks)
        {
            var point = new LinePoint(
                Measurement,
                TagSet.Create([new Tag("window", window), new Tag("partition", partition)]),
                [new Field("final_watermark", FieldValue.Integer(watermark))],
                0);
            if (batch.TryAdd(point) is { } rejection)
            {
                throw new InvalidOperationException($"Window progress of '{window}' / '{partition}' cannot be encoded: {rejection}");
            }
        }

        var result = await writer.WriteAsync(batch, cancellationToken).ConfigureAwait(false);
        if (result.Rejected.Count > 0)
        {
            throw new InvalidOperationException($"InfluxDB rejected {result.Rejected.Count} window progress points of '{window}': {result.Rejected[0]}");
        }
    }
}
