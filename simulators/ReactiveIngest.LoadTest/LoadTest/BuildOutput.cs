namespace ReactiveIngest.Simulator.LoadTest;

/// <summary>Finds programs of this repository built next to the runner (same configuration and framework).</summary>
public static class BuildOutput
{
    /// <summary>
    /// <c>&lt;repo&gt;/&lt;folder&gt;/&lt;project&gt;/bin/&lt;config&gt;/&lt;tfm&gt;/&lt;project&gt;.dll</c>, found by walking up from the runner's
    /// own output directory to the folder that holds <c>ReactiveIngest.sln</c>; null when not built.
    /// </summary>
    public static string? Find(string folder, string project)
    {
        var baseDirectory = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = baseDirectory.Name;
        var configuration = baseDirectory.Parent?.Name ?? "Release";
        for (var dir = baseDirectory; dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ReactiveIngest.sln")))
            {
                foreach (var config in new[] { configuration, "Release", "Debug" }.Distinct())
                {
                    var candidate = Path.Combine(dir.FullName, folder, project, "bin", config, tfm, project + ".dll");
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                return null;
            }
        }

        return null;
    }
}
