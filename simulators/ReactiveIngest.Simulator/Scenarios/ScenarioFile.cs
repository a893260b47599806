using System.Text.Json;
using ReactiveIngest.Simulator.Reports;

namespace ReactiveIngest.Simulator.Scenarios;

/// <summary>Loads scenarios from JSON files.</summary>
public static class ScenarioFile
{
    /// <summary>Parses scenario JSON; unknown properties are errors so a typo does not silently use a default.</summary>
    public static Scenario Parse(string json)
    {
        var options = new JsonSerializerOptions(ReportJson.Options) { UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
        return JsonSerializer.Deserialize<Scenario>(json, options) ?? throw new InvalidDataException("The scenario is empty.");
    }

    /// <summary>Loads the scenario in <paramref name="path"/>.</summary>
    public static Scenario Load(string path) => Parse(File.ReadAllText(path));
}
