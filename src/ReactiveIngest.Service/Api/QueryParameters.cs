using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace ReactiveIngest.Service.Api;

/// <summary>
/// Query parameters parsed by the handlers themselves (bound as strings), so that a bad value gets an RFC 9457
/// <c>application/problem+json</c> answer naming the parameter instead of minimal APIs' empty 400.
/// </summary>
public static class QueryParameters
{
    /// <summary>The title of every invalid-parameter problem.</summary>
    public const string InvalidTitle = "Invalid query parameters";

    /// <summary>A 400 validation problem listing each bad parameter with its messages.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status400BadRequest, Title = InvalidTitle });

    /// <summary>A 400 validation problem for one bad parameter.</summary>
    public static ProblemHttpResult Invalid(string parameter, string message) =>
        Invalid(new Dictionary<string, string[]> { [parameter] = [message] });

    /// <summary>
    /// The integer in <paramref name="value"/>, or null when absent; when it is not an integer within
    /// [<paramref name="min"/>, <paramref name="max"/>] the error is added to <paramref name="errors"/> under <paramref name="name"/>.
    /// </summary>
    public static int? Integer(IDictionary<string, string[]> errors, string name, string? value, int min, int max)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) && number >= min && number <= max)
        {
            return number;
        }

        errors[name] = [$"'{value}' is not an integer between {min} and {max}"];
        return null;
    }
}
