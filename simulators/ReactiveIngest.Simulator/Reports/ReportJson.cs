using System.Text.Json;
using System.Text.Json.Serialization;

namespace ReactiveIngest.Simulator.Reports;

/// <summary>The JSON of every file the simulator writes or reads: reports, ground truth and scenarios.</summary>
public static class ReportJson
{
    /// <summary>camelCase, indented, nulls written, enums as strings.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
