using ReactiveIngest.Core.Windows;

namespace ReactiveIngest.Service.Pipeline;

/// <summary>One configured window: <c>ReactiveIngest:Pipeline:Windows:N</c>.</summary>
public sealed class WindowDefinition
{
    /// <summary>The name queries and measurements use, e.g. <c>10s</c>.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>Tumbling, Hopping or Session.</summary>
    public WindowKind Kind { get; set; } = WindowKind.Tumbling;

    /// <summary>Window length (tumbling, hopping).</summary>
    public TimeSpan? Size { get; set; }

    /// <summary>Distance between window starts (hopping).</summary>
    public TimeSpan? Slide { get; set; }

    /// <summary>Inactivity that ends a session (session).</summary>
    public TimeSpan? Gap { get; set; }

    /// <summary>The window shape; call only on a validated definition.</summary>
    public WindowSpec ToSpec() => Kind switch
    {
        WindowKind.Tumbling => WindowSpec.Tumbling(Size!.Value),
        WindowKind.Hopping => WindowSpec.Hopping(Size!.Value, Slide!.Value),
        _ => WindowSpec.Session(Gap!.Value),
    };
}
