using System.Text.Json;
using ReactiveIngest.Simulator.Reports;

namespace ReactiveIngest.Simulator.GroundTruth;

/// <summary>Reads and writes the ground-truth JSON file.</summary>
public static class GroundTruthFile
{
    /// <summary>Writes <paramref name="snapshot"/> to <paramref name="path"/>.</summary>
    public static async Task WriteAsync(GroundTruthSnapshot snapshot, string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, snapshot, ReportJson.Options, cancellationToken);
    }

    /// <summary>Reads a file written by <see cref="WriteAsync"/>.</summary>
    public static async Task<GroundTruthSnapshot> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var stream = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync<GroundTruthSnapshot>(stream, ReportJson.Options, cancellationToken)
               ?? throw new InvalidDataException($"{path} does not contain a ground truth.");
    }
}
