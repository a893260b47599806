using System.ComponentModel;
using System.Globalization;

namespace ReactiveIngest.Service.Configuration;

/// <summary>
/// The <see cref="TimeSpan"/> converter the configuration binder uses once <see cref="Register"/> has run: reads every
/// <see cref="Duration"/> form (<c>10s</c>, <c>1m30s</c>, <c>00:01:00</c>), so <c>TimeSpan</c> and <c>TimeSpan?</c>
/// settings of every options class, connector settings included, accept them.
/// </summary>
public sealed class DurationConverter : TimeSpanConverter
{
    private static int _registered;

    /// <summary>Makes this the converter of <see cref="TimeSpan"/> for the process (the binder asks <see cref="TypeDescriptor"/>); idempotent.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref _registered, 1) == 0)
        {
            TypeDescriptor.AddAttributes(typeof(TimeSpan), new TypeConverterAttribute(typeof(DurationConverter)));
        }
    }

    /// <inheritdoc />
    public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) =>
        value is string text
            ? Duration.TryParse(text, out var duration) ? duration : throw new FormatException($"'{text}' is not a duration (examples: {Duration.Examples}).")
            : base.ConvertFrom(context, culture, value);
}
