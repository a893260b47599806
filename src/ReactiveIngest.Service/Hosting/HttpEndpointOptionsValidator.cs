using System.Net;
using Microsoft.Extensions.Options;

namespace ReactiveIngest.Service.Hosting;

/// <summary>Checks <see cref="HttpEndpointOptions"/>, reporting every problem with the key to fix.</summary>
public sealed class HttpEndpointOptionsValidator : IValidateOptions<HttpEndpointOptions>
{
    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HttpEndpointOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        const string Prefix = HttpEndpointOptions.SectionName;
        if (options.UrlList.Count == 0)
        {
            errors.Add($"{Prefix}:Urls must list at least one URL, e.g. http://127.0.0.1:5080.");
        }

        var publicAddress = false;
        foreach (var url in options.UrlList)
        {
            if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                errors.Add($"{Prefix}:Urls contains '{url}', which is not an http(s) URL.");
                continue;
            }

            if (!IsLoopback(uri.Host))
            {
                publicAddress = true;
            }
        }

        if (publicAddress && string.IsNullOrWhiteSpace(options.ApiKey))
        {
            errors.Add($"{Prefix}:ApiKey must be set when {Prefix}:Urls listens on a non-loopback address ('{options.Urls}').");
        }

        if (options.ApiKey is { Length: > 0 and < 16 })
        {
            errors.Add($"{Prefix}:ApiKey must be at least 16 characters long.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 256L * 1024 * 1024)
        {
            errors.Add($"{Prefix}:MaxRequestBodyBytes must be between 1024 and 268435456 (is {options.MaxRequestBodyBytes}).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    /// <summary>True for localhost and loopback IP literals.</summary>
    public static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
